import { z } from 'zod';
import { reportSchema } from './schema.js';

/** The JSON Schema (draft 2020-12) of the `--format json` document, generated from its zod schema. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    title: 'vss-preflight scan report',
    ...z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'output' }),
  };
}
