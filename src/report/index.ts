import type { Rule } from '../engine/types.js';
import { csvChunks } from './csv.js';
import { htmlChunks } from './html.js';
import { jsonDocument } from './json-chunks.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { sarifChunks } from './sarif.js';
import type { Report } from './schema.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  color: boolean;
  width?: number;
  /** Rule metadata (titles, why, fix, sources) for the formats that describe rules; they fall back to the rule id. */
  rules?: readonly Rule[];
}

/**
 * A report format: chunks of text whose concatenation is the document, so a report too big for
 * one string (json, sarif and html of a 100,000-instance fleet) is written piece by piece. The
 * formats that stay small (about 200 bytes an instance) yield one string.
 */
export type Reporter = (report: Report, options: RenderOptions) => Iterable<string>;

/** Every output format by name. A reporter only formats: it never re-decides a status. */
export const REPORT_CHUNKS = {
  table: (report, options) => [renderTable(report, options)],
  // Expanded down to each finding (report, instances, instance, findings): the engine shares
  // findings across instances, so each distinct one is serialised once (json-chunks.ts).
  json: (report) => jsonDocument(report, 4),
  csv: (report) => csvChunks(report),
  markdown: (report) => [renderMarkdown(report)],
  html: (report, options) => htmlChunks(report, options),
  sarif: (report, options) => sarifChunks(report, options),
  junit: (report) => [renderJunit(report)],
} as const satisfies Record<string, Reporter>;

export type Format = keyof typeof REPORT_CHUNKS;

/** A whole report as one string (tests, small reports); the CLI writes the chunks. */
export const render = (format: Format, report: Report, options: RenderOptions = { color: false }): string => {
  let text = '';
  for (const chunk of REPORT_CHUNKS[format](report, options)) text += chunk;
  return text;
};

/** Every format as a function returning the whole report as one string. */
export const REPORTERS = Object.fromEntries(
  Object.keys(REPORT_CHUNKS).map((format) => [format, (report: Report, options?: RenderOptions) => render(format as Format, report, options)]),
) as Record<Format, (report: Report, options?: RenderOptions) => string>;

export const FORMATS = Object.keys(REPORT_CHUNKS) as Format[];

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
