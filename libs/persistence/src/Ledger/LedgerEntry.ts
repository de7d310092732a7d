// The `ledger_entry` table: the audit ledger, one row per journal event (seq of its batch, idx in the batch),
// written only by the ledger projector with `on conflict do nothing` and read a SKU at a time, newest first.
// `seq` is a bigint column read as a JS number (journal sequences stay far below 2^53).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const LedgerEntry = defineEntity({
  name: 'LedgerEntry',
  tableName: 'ledger_entry',
  properties: {
    seq: p.bigint('number').primary(),
    idx: p.integer().primary(),
    sku: p.text(),
    location: p.text(),
    eventType: p.text(),
    commandId: p.text(),
    actor: p.text(),
    reason: p.text(),
    reference: p.text().nullable(),
    at: p.datetime(),
    before: p.json<Record<string, number>>(),
    after: p.json<Record<string, number>>(),
    quantity: p.integer().nullable(),
    details: p.json<Record<string, unknown>>(),
  },
  // Pages of one SKU, newest first: `where sku = ? and (seq, idx) < (?, ?) order by seq desc, idx desc`.
  indexes: [
    {
      name: 'ledger_entry_sku_seq_idx_index',
      expression: 'create index "ledger_entry_sku_seq_idx_index" on "ledger_entry" ("sku", "seq" desc, "idx" desc)',
    },
  ],
});

export type LedgerEntry = InferEntity<typeof LedgerEntry>;
