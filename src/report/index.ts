import type { Report } from './schema.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  color: boolean;
  width?: number;
}

/** Every output format by name. A reporter only formats: it never re-decides a status. */
export const REPORTERS = {
  table: (report: Report, options: RenderOptions) => renderTable(report, options),
  json: (report: Report) => `${JSON.stringify(report, null, 2)}\n`,
} as const satisfies Record<string, (report: Report, options: RenderOptions) => string>;

export type Format = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as Format[];
