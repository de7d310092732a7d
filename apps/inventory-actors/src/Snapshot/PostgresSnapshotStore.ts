// SnapshotStore on Postgres through MikroORM (table `sku_snapshot`, migrations in
// @larder/persistence). The save is one upsert whose `where` refuses to move a snapshot backwards: a
// lower or equal journal sequence leaves the row as it is. The epoch is recorded, not compared: the
// fenced journal makes the state at a sequence the same whoever computed it.
import { Sku } from '@larder/domain';
import { queryRows, type SqlParam } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Effect, Layer, Option, Schema } from 'effect';
import { SnapshotStore, SnapshotStoreError, type StoredSnapshot } from './SnapshotStore.js';

const BigIntish = Schema.Union(Schema.Number, Schema.NumberFromString);
const Row = Schema.Struct({ sku: Sku, shard: Schema.Number, seq: BigIntish, epoch: BigIntish, state: Schema.Unknown });
const SummaryRow = Schema.Struct({ sku: Sku, seq: BigIntish, open_holds: BigIntish });
const decodeRows = Schema.decodeUnknown(Schema.Array(Row));
const decodeSummary = Schema.decodeUnknown(Schema.Array(SummaryRow));

const saveSql = `
insert into sku_snapshot (sku, shard, seq, epoch, state, taken_at)
values (?, ?, ?, ?, ?::jsonb, now())
on conflict (sku) do update
  set shard = excluded.shard, seq = excluded.seq, epoch = excluded.epoch,
      state = excluded.state, taken_at = excluded.taken_at
  where sku_snapshot.seq < excluded.seq
returning sku`;

export const makePostgresSnapshotStore = (orm: MikroORM): SnapshotStore['Type'] => {
  const run = (operation: 'load' | 'save', sql: string, params: ReadonlyArray<SqlParam>) =>
    Effect.tryPromise({
      try: () => queryRows(orm, sql, params),
      catch: (error) => new SnapshotStoreError({ operation, detail: error instanceof Error ? error.message : String(error) }),
    });
  const malformed = (operation: 'load' | 'save') => (error: { readonly message: string }) =>
    new SnapshotStoreError({ operation, detail: `unexpected row: ${error.message}` });

  return {
    load: (sku) =>
      run('load', 'select sku, shard, seq, epoch, state from sku_snapshot where sku = ?', [sku]).pipe(
        Effect.flatMap((rows) => Effect.mapError(decodeRows(rows), malformed('load'))),
        Effect.map((rows) => Option.fromNullable(rows[0])),
      ),
    shardSummary: (shard) =>
      run(
        'load',
        `select sku, seq, coalesce(jsonb_array_length(state->'open'), 0) + (select count(*) from jsonb_each(coalesce(state->'drops', '{}'::jsonb)) d where d.value->'closedAt' = 'null'::jsonb) as open_holds from sku_snapshot where shard = ?`,
        [shard],
      ).pipe(
        Effect.flatMap((rows) => Effect.mapError(decodeSummary(rows), malformed('load'))),
        Effect.map((rows) => new Map(rows.map((r) => [r.sku, { seq: r.seq, openHolds: r.open_holds }]))),
      ),
    save: (s: StoredSnapshot) =>
      run('save', saveSql, [s.sku, s.shard, s.seq, s.epoch, JSON.stringify(s.state)]).pipe(
        Effect.map((rows) => Array.isArray(rows) && rows.length === 1),
      ),
  };
};

export const PostgresSnapshotStoreLayer = (orm: MikroORM) => Layer.succeed(SnapshotStore, makePostgresSnapshotStore(orm));
