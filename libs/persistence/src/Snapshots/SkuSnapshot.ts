// The `sku_snapshot` table: one row per SKU with its actor state at a journal sequence, written by the owner.
// `seq` (INV_EVT subject sequence) and `epoch` (owner epoch) are bigint columns mapped to JS numbers:
// both stay far below 2^53, and writers compare them numerically so a snapshot never moves backwards.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const SkuSnapshot = defineEntity({
  name: 'SkuSnapshot',
  tableName: 'sku_snapshot',
  properties: {
    sku: p.text().primary(),
    shard: p.integer(),
    seq: p.bigint('number'),
    epoch: p.bigint('number'),
    state: p.json<unknown>(),
    takenAt: p.datetime(),
  },
  // A runner taking a shard loads all of that shard's snapshots at once.
  indexes: [{ properties: 'shard', name: 'sku_snapshot_shard_idx' }],
});

export type SkuSnapshot = InferEntity<typeof SkuSnapshot>;
