import type { Rule } from '../engine/types.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import type { Report } from './schema.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  color: boolean;
  width?: number;
  /** Rule metadata (titles, why, fix, sources) for the formats that describe rules; they fall back to the rule id. */
  rules?: readonly Rule[];
}

/** Every output format by name. A reporter only formats: it never re-decides a status. */
export const REPORTERS = {
  table: (report: Report, options: RenderOptions) => renderTable(report, options),
  json: (report: Report) => `${JSON.stringify(report, null, 2)}\n`,
  csv: (report: Report) => renderCsv(report),
  markdown: (report: Report) => renderMarkdown(report),
  html: (report: Report, options: RenderOptions) => renderHtml(report, options),
  sarif: (report: Report, options: RenderOptions) => renderSarif(report, options),
  junit: (report: Report) => renderJunit(report),
} as const satisfies Record<string, (report: Report, options: RenderOptions) => string>;

export type Format = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as Format[];

/** `--export report.html`: the format a file's extension names. */
const BY_EXTENSION: Record<string, Format> = {
  txt: 'table',
  json: 'json',
  csv: 'csv',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  sarif: 'sarif',
  xml: 'junit',
};

export function formatOfFile(path: string): Format | undefined {
  const name = path.toLowerCase();
  if (name.endsWith('.sarif.json')) return 'sarif';
  return BY_EXTENSION[name.slice(name.lastIndexOf('.') + 1)];
}

export const EXPORT_EXTENSIONS = Object.keys(BY_EXTENSION).map((e) => `.${e}`);
