// Shard placement: shard(sku) = fnv1a32(sku) mod SHARDS (DESIGN.md §3). SHARDS is fixed for a
// deployment: changing it (or the hash) moves SKUs to other shards, so it is a migration.
import type { Sku } from '@larder/domain';
import { Schema } from 'effect';
import { fnv1a32 } from './Fnv1a.js';

/** The largest shard count a deployment may configure. */
export const MaxShards = 1024;

/** How many shards a deployment has: a whole number in 1..1024. */
export const Shards = Schema.Int.pipe(
  Schema.between(1, MaxShards, { message: () => `a shard count is a whole number from 1 to ${MaxShards}` }),
  Schema.brand('Shards'),
);
export type Shards = typeof Shards.Type;

/** The shard count of a deployment that configures none. */
export const DefaultShards: Shards = Shards.make(32);

/** One shard's number: a whole number in 0..1023 (below the deployment's shard count). */
export const Shard = Schema.Int.pipe(
  Schema.between(0, MaxShards - 1, { message: () => `a shard is a whole number from 0 to ${MaxShards - 1}` }),
  Schema.brand('Shard'),
);
export type Shard = typeof Shard.Type;

/** The shard that owns a SKU. Hot path: the modulo already proves the range, so no re-validation. */
export const shardOf = (sku: Sku, shards: Shards): Shard =>
  Shard.make(fnv1a32(sku) % shards, { disableValidation: true });

/** Every shard of a deployment, 0..shards-1, in order. */
export const allShards = (shards: Shards): ReadonlyArray<Shard> =>
  Array.from({ length: shards }, (_, n) => Shard.make(n, { disableValidation: true }));
