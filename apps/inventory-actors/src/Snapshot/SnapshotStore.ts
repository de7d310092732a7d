// Where actors keep their snapshots (Postgres, through MikroORM): load one SKU's, and save one
// that never moves backwards (a lower or equal journal sequence is ignored).
import type { Sku } from '@larder/domain';
import { Context, Data, type Effect, type Option } from 'effect';

export interface StoredSnapshot {
  readonly sku: Sku;
  readonly shard: number;
  /** Journal sequence of the last batch folded into `state`. */
  readonly seq: number;
  readonly epoch: number;
  /** `encodeState(state)`: decoded by the loader, never trusted blindly. */
  readonly state: unknown;
}

export class SnapshotStoreError extends Data.TaggedError('SnapshotStoreError')<{
  readonly operation: 'load' | 'save';
  readonly detail: string;
}> {}

export class SnapshotStore extends Context.Tag('larder/SnapshotStore')<
  SnapshotStore,
  {
    readonly load: (sku: Sku) => Effect.Effect<Option.Option<StoredSnapshot>, SnapshotStoreError>;
    /** Per SKU of a shard: the snapshot's journal sequence and how many holds it has open. */
    readonly shardSummary: (
      shard: number,
    ) => Effect.Effect<ReadonlyMap<Sku, { readonly seq: number; readonly openHolds: number }>, SnapshotStoreError>;
    /** True when stored; false when a snapshot at the same or a later sequence was already there. */
    readonly save: (snapshot: StoredSnapshot) => Effect.Effect<boolean, SnapshotStoreError>;
  }
>() {}
