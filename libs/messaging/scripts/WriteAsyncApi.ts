// Regenerates docs/asyncapi.yaml (AsyncAPI 3.0) from the code's names and schemas: `npm run docs:asyncapi`.
import { writeFileSync } from 'node:fs';
import { renderAsyncApi } from './AsyncApiDocument.js';

writeFileSync(new URL('../../../docs/asyncapi.yaml', import.meta.url), renderAsyncApi());
console.log('wrote docs/asyncapi.yaml');
