import { writeFileSync } from 'node:fs';
import { reportJsonSchema } from '../../src/report/json-schema.js';

// `npm run schema`: regenerate the committed JSON Schema of the report; a test keeps the two equal.
const target = new URL('../../docs/report.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
