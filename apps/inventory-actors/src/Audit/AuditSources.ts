// Where the auditor reads one SKU: its journal (INV_EVT), its view in KV `stock`, its Redis mirror
// hash and its Postgres snapshot. A value that is there but does not decode is `Unreadable` (a finding);
// a store that cannot be reached is an AuditReadError (the audit of that SKU is skipped, not passed).
import { decodeState, type Sku, type SkuState } from '@larder/domain';
import { decodeStockView, type Names, type StockView } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { Data, Effect, Either, Option, Schema } from 'effect';
import type { Redis } from 'ioredis';
import type { Journal, JournalRecord } from '../Journal/Journal.js';
import { RedisStockHash, redisStockKey } from '../Projection/RedisStockWriter.js';
import type { SnapshotStore } from '../Snapshot/SnapshotStore.js';

export class AuditReadError extends Data.TaggedError('AuditReadError')<{
  readonly source: 'journal' | 'kv' | 'redis' | 'snapshot';
  readonly sku: Sku;
  readonly detail: string;
}> {}

export type Observed<A> =
  | { readonly _tag: 'Absent' }
  | { readonly _tag: 'Unreadable'; readonly reason: string }
  | { readonly _tag: 'Present'; readonly seq: number; readonly value: A };

export interface RedisMirror {
  readonly hash: RedisStockHash;
  readonly view: StockView;
}

export interface AuditSources {
  readonly journal: (sku: Sku) => Effect.Effect<ReadonlyArray<JournalRecord>, AuditReadError>;
  readonly kv: (sku: Sku) => Effect.Effect<Observed<StockView>, AuditReadError>;
  readonly redis: (sku: Sku) => Effect.Effect<Observed<RedisMirror>, AuditReadError>;
  readonly snapshot: (sku: Sku) => Effect.Effect<Observed<SkuState>, AuditReadError>;
}

export interface AuditSourcesDeps {
  readonly journal: Journal['Type'];
  readonly snapshots: SnapshotStore['Type'];
  /** The `stock` bucket (names.buckets.stock), opened by the caller. */
  readonly kv: KV;
  readonly names: Names;
  readonly redis: Redis;
  readonly redisPrefix: string;
}

const absent: Observed<never> = { _tag: 'Absent' };
const unreadable = (reason: string): Observed<never> => ({ _tag: 'Unreadable', reason });
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const decodeHash = Schema.decodeUnknownEither(RedisStockHash);

export const makeAuditSources = ({ journal, snapshots, kv, names, redis, redisPrefix }: AuditSourcesDeps): AuditSources => ({
  journal: (sku) =>
    journal.read(sku, 0).pipe(
      Effect.mapError((error) => new AuditReadError({ source: 'journal', sku, detail: `${error._tag}: ${'detail' in error ? error.detail : error.reason}` })),
    ),

  kv: (sku) =>
    Effect.tryPromise({
      try: () => kv.get(names.keys.stock(sku)),
      catch: (error) => new AuditReadError({ source: 'kv', sku, detail: describe(error) }),
    }).pipe(
      Effect.map((entry): Observed<StockView> => {
        if (entry === null || entry.operation !== 'PUT') return absent;
        return Either.match(decodeStockView(entry.value), {
          onLeft: (e) => unreadable(`the value at revision ${entry.revision} does not decode: ${e.reason}`),
          onRight: (view) => ({ _tag: 'Present', seq: view.seq, value: view }),
        });
      }),
    ),

  redis: (sku) =>
    Effect.tryPromise({
      try: () => redis.hgetall(redisStockKey(redisPrefix, sku)),
      catch: (error) => new AuditReadError({ source: 'redis', sku, detail: describe(error) }),
    }).pipe(
      Effect.map((fields): Observed<RedisMirror> => {
        if (Object.keys(fields).length === 0) return absent;
        const hash = decodeHash(fields);
        if (Either.isLeft(hash)) return unreadable(`the hash does not decode: ${hash.left.message}`);
        const view = decodeStockView(new TextEncoder().encode(hash.right.json));
        if (Either.isLeft(view)) return unreadable(`its json does not decode: ${view.left.reason}`);
        return { _tag: 'Present', seq: hash.right.seq, value: { hash: hash.right, view: view.right } };
      }),
    ),

  snapshot: (sku) =>
    snapshots.load(sku).pipe(
      Effect.mapError((error) => new AuditReadError({ source: 'snapshot', sku, detail: error.detail })),
      Effect.map(
        Option.match({
          onNone: (): Observed<SkuState> => absent,
          onSome: (stored): Observed<SkuState> =>
            Either.match(decodeState(stored.state), {
              onLeft: (e) => unreadable(`the snapshot at seq ${stored.seq} does not decode: ${e.message}`),
              onRight: (state) => ({ _tag: 'Present', seq: stored.seq, value: state }),
            }),
        }),
      ),
    ),
});
