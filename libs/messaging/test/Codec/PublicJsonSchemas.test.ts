// The committed JSON Schemas of the public messages (docs/events/) are exactly what the code's
// schemas generate: a change to the wire shows up here until the documents are regenerated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicJsonSchemas, renderJsonSchema } from '../../src/index.js';

describe('docs/events', () => {
  it.each(Object.entries(publicJsonSchemas()))('%s matches the code (run `npm run docs:schemas` after a change)', (file, schema) => {
    const committed = readFileSync(new URL(`../../../../docs/events/${file}`, import.meta.url), 'utf8');
    expect(committed).toBe(renderJsonSchema(schema));
  });
});
