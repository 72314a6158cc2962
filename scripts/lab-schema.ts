// Writes lab-templates/vxlab.schema.json from the lab file schema (electron/lab/schema.ts),
// so editors that read the templates' modeline complete and check lab files as people type.
// Run after changing the schema: node bin/run-ts.js scripts/lab-schema.ts
// (test/unit/lab-schema.test.ts fails while the committed file differs from what this writes).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { labJsonSchemaText } from '../electron/lab/schema-file.js';

const target = fileURLToPath(new URL('../lab-templates/vxlab.schema.json', import.meta.url));
writeFileSync(target, labJsonSchemaText());
console.log(`wrote ${target}`);
