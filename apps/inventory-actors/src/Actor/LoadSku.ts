// Brings a SKU's state into memory: its snapshot (if any, and if it decodes) plus every journal
// batch after it. A snapshot that does not decode is logged and ignored: the journal alone is enough.
import { decodeState, initialState, type Sku } from '@larder/domain';
import { Effect, Either, Option } from 'effect';
import { Journal } from '../Journal/Journal.js';
import { SnapshotStore } from '../Snapshot/SnapshotStore.js';
import { foldRecords, type Loaded } from './FoldRecords.js';

export const loadSku = (sku: Sku) =>
  Effect.gen(function* () {
    const journal = yield* Journal;
    const snapshots = yield* SnapshotStore;
    const stored = yield* snapshots.load(sku).pipe(
      Effect.catchAll((error) =>
        Effect.logWarning(`snapshot of ${sku} unavailable; replaying the whole journal`, error).pipe(Effect.as(Option.none())),
      ),
    );
    let from: Loaded = { state: initialState(sku), seq: 0 };
    if (Option.isSome(stored)) {
      const decoded = decodeState(stored.value.state);
      if (Either.isRight(decoded)) from = { state: decoded.right, seq: stored.value.seq };
      else yield* Effect.logWarning(`snapshot of ${sku} does not decode; replaying the whole journal`, decoded.left.message);
    }
    return foldRecords(from, yield* journal.read(sku, from.seq));
  });
