// Regenerates docs/events/*.schema.json from the code's schemas: `npm run docs:schemas`.
import { writeFileSync } from 'node:fs';
import { publicJsonSchemas, renderJsonSchema } from '../src/index.js';

for (const [file, schema] of Object.entries(publicJsonSchemas())) {
  const path = new URL(`../../../docs/events/${file}`, import.meta.url);
  writeFileSync(path, renderJsonSchema(schema));
  console.log(`wrote docs/events/${file}`);
}
