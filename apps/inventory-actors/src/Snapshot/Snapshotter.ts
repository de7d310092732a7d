// Takes snapshots off the command path: actors mark their SKU dirty after each durable batch; the
// runner's snapshot ticker saves the due ones (every N events, or T after the first unsaved event). If
// Postgres is down, snapshots pause and are retried; commands go on.
import { encodeState, type Event, type Sku, type SkuState } from '@larder/domain';
import { Effect } from 'effect';
import type { ActorPolicy } from '../Config/ActorPolicy.js';
import type { ShardTicker } from '../Shard/ShardTicker.js';
import { SnapshotStore } from './SnapshotStore.js';

interface Dirty {
  state: SkuState;
  seq: number;
  events: number;
  readonly since: number;
}

/**
 * Don't snapshot a hot SKU more often than this, whatever its event count: encoding a flash-sale
 * SKU with 20,000 open holds costs ~60 ms of the event loop and ~4 MB to Postgres (bench/api).
 */
const MinSnapshotIntervalMs = 5_000;

/** How often the due snapshots are looked for (the runner's snapshot ticker). */
export const SnapshotTickMs = 500;

/** `ticker` runs the search for due snapshots every `SnapshotTickMs` while the caller's scope is open. */
export const makeSnapshotter = (shard: number, epoch: number, policy: ActorPolicy, ticker: ShardTicker) =>
  Effect.gen(function* () {
    const store = yield* SnapshotStore;
    const dirty = new Map<Sku, Dirty>();
    const lastSavedAt = new Map<Sku, number>();

    const save = (sku: Sku, d: Dirty) =>
      store.save({ sku, shard, seq: d.seq, epoch, state: encodeState(d.state) }).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            lastSavedAt.set(sku, Date.now());
            // Only clear if nothing newer arrived while saving.
            if (dirty.get(sku)?.seq === d.seq) dirty.delete(sku);
          }),
        ),
      );

    const isDue = (sku: Sku, d: Dirty, now: number) =>
      (d.events >= policy.snapshotEveryEvents && now - (lastSavedAt.get(sku) ?? 0) >= MinSnapshotIntervalMs) ||
      now - d.since >= policy.snapshotEveryMs;

    /** Saves due snapshots (all of them when `all`); a failure fails the round, which is tried again later. */
    const saveDue = (all: boolean) =>
      Effect.gen(function* () {
        const now = Date.now();
        const due = [...dirty].filter(([sku, d]) => all || isDue(sku, d, now));
        // A few at a time: the pool has 10 connections, and a drain after a busy day has thousands.
        yield* Effect.forEach(due, ([sku, d]) => save(sku, { ...d }), { concurrency: 8, discard: true });
      });

    yield* ticker.every(
      `shard ${shard}: snapshots`,
      saveDue(false).pipe(Effect.catchAll((error) => Effect.logWarning(`shard ${shard}: snapshots paused: the snapshot store failed; retrying`, error))),
    );

    /**
     * The events the cadence counts. Refusals move nothing and replay for free (they only fill a
     * memory): a sell-out's thousands of them must not snapshot the hot SKU's whole state every thousand.
     */
    const countMoves = (appended: ReadonlyArray<Event>) => {
      let n = 0;
      for (const event of appended) if (event._tag !== 'ReservationRefused') n++;
      return n;
    };

    return {
      applied: (sku: Sku, state: SkuState, seq: number, appended: ReadonlyArray<Event>) => {
        const events = countMoves(appended);
        const d = dirty.get(sku);
        if (d === undefined) dirty.set(sku, { state, seq, events, since: Date.now() });
        else {
          d.state = state;
          d.seq = seq;
          d.events += events;
        }
      },
      /** True when the SKU's latest state is saved, so dropping it from memory costs only a load. */
      isCurrent: (sku: Sku) => !dirty.has(sku),
      forget: (sku: Sku) => void lastSavedAt.delete(sku),
      flush: saveDue(true),
      pending: () => dirty.size,
    };
  });

export type Snapshotter = Effect.Effect.Success<ReturnType<typeof makeSnapshotter>>;
