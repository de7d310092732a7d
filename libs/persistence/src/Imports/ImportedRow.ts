// The `imported_row` table: one row per CSV import row that was applied (POST /v1/imports/…), by the
// kind of import and the row's key, so the same row uploaded again is answered `unchanged` and sent
// nowhere, and the same key with other content is refused. Written `pending` before the row's command is
// sent and `applied` once it is stored, so a row whose send failed midway is never sent blind again.
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
    /** `pending`: written before the command is sent (its fate is in the ledger); `applied`: JetStream stored it. */
    state: p.text().default('applied'),
  },
});

export type ImportedRow = InferEntity<typeof ImportedRow>;
