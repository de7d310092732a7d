// Brings a SKU's state into memory: its snapshot (if any, and if it decodes) plus every journal
// batch after it. A snapshot that does not decode is logged and ignored: the journal alone is enough.
// Each replayed batch is reported to `replayed`, so projections and snapshots that fell behind
// (a crash before they were written) catch up on takeover.
import { decodeState, initialState, type Event, type Sku } from '@larder/domain';
import { Effect, Either, Option } from 'effect';
import { Journal } from '../Journal/Journal.js';
import { SnapshotStore } from '../Snapshot/SnapshotStore.js';
import { foldRecords, type Loaded } from './FoldRecords.js';

export const loadSku = (sku: Sku, replayed: (loaded: Loaded, events: ReadonlyArray<Event>) => void = () => undefined) =>
  Effect.gen(function* () {
    const journal = yield* Journal;
    const snapshots = yield* SnapshotStore;
    const stored = yield* snapshots.load(sku).pipe(
      Effect.catchAll((error) =>
        Effect.logWarning(`snapshot of ${sku} unavailable; replaying the whole journal`, error).pipe(Effect.as(Option.none())),
      ),
    );
    let from: Loaded = { state: initialState(sku), seq: 0, asOf: null };
    if (Option.isSome(stored)) {
      const decoded = decodeState(stored.value.state);
      if (Either.isRight(decoded)) from = { state: decoded.right, seq: stored.value.seq, asOf: null };
      else yield* Effect.logWarning(`snapshot of ${sku} does not decode; replaying the whole journal`, decoded.left.message);
    }
    for (const record of yield* journal.read(sku, from.seq)) {
      from = foldRecords(from, [record]);
      replayed(from, record.events);
    }
    return from;
  });
