// The `imported_row` table: one row per CSV import row that was applied (POST /v1/imports/…), by the
// kind of import and the row's key, so the same row uploaded again is answered `unchanged` and sent
// nowhere, and the same key with other content is refused. Written only after the row's command is stored.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ImportedRow = defineEntity({
  name: 'ImportedRow',
  tableName: 'imported_row',
  properties: {
    /** `restock` (more kinds may follow; the catalogue import compares with `catalog_sku` itself). */
    kind: p.text().primary(),
    /** The row key, e.g. `SKU|location|reference` for a restock. */
    key: p.text().primary(),
    /** What the row said besides its key, e.g. `{"qty":12}`: compared with a later row of the same key. */
    content: p.json<Record<string, unknown>>(),
    /** The command the row became (derived from the key, so a resend is deduplicated). */
    commandId: p.text(),
    actor: p.text(),
    appliedAt: p.datetime(),
  },
});

export type ImportedRow = InferEntity<typeof ImportedRow>;
