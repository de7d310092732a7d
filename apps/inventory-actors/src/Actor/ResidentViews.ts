// The SKUs a shard holds in memory, as the projector needs them to write their read views again
// (the Redis mirror came back empty). An actor loaded from a snapshot with nothing after it does not
// know when its last event happened (the view's `asOf`): that one batch is read back from the journal.
import { Array as Arr, Effect, Option } from 'effect';
import { Journal } from '../Journal/Journal.js';
import type { ResidentView } from '../Projection/Projector.js';
import type { ActorRegistry } from './ActorRegistry.js';
import type { Loaded } from './FoldRecords.js';

/** Journal reads at once for the actors whose `asOf` is not known (a takeover loads thousands). */
const LookupConcurrency = 16;

const viewOf = (journal: Journal['Type'], { state, seq, asOf }: Loaded) =>
  asOf !== null
    ? Effect.succeed(Option.some<ResidentView>({ state, seq, asOf }))
    : journal.read(state.sku, seq - 1).pipe(
        Effect.map((records) =>
          Option.fromNullable(records.find((r) => r.seq === seq)?.events.at(-1)?.at).pipe(Option.map((at): ResidentView => ({ state, seq, asOf: at }))),
        ),
        // Its view is written with its next batch, or by the auditor; no reason to hold up the others.
        Effect.catchAll((error) => Effect.logWarning(`cannot read the last batch of ${state.sku}; its view is not written again now`, error).pipe(Effect.as(Option.none()))),
      );

/** Every loaded SKU with a journal, with its view's `asOf`. */
export const residentViews = (registry: ActorRegistry) =>
  Effect.gen(function* () {
    const journal = yield* Journal;
    const loaded = registry.loaded().filter((l) => l.seq > 0);
    return Arr.getSomes(yield* Effect.forEach(loaded, (l) => viewOf(journal, l), { concurrency: LookupConcurrency }));
  });
