// Follows a KV bucket (every key, or those matching `key`) for as long as the scope lives: each entry is
// handed to `onEntry` as it comes; `loaded` completes once the first contents are in. A watch that ends
// or fails is started again after `rewatchMs`; its replay changes nothing already known.
import type { KV, KvWatchEntry } from '@nats-io/kv';
import { Deferred, Duration, Effect, Runtime, Schedule } from 'effect';

export interface FollowBucket {
  /** Who follows it and what, for the log line when the watch fails (`packs: the watch of <name>`). */
  readonly who: string;
  readonly name: string;
  readonly bucket: KV;
  /** A key filter (`channel.>`); every key when absent. */
  readonly key?: string;
  readonly onEntry: (entry: KvWatchEntry) => Effect.Effect<void>;
  readonly loaded?: Deferred.Deferred<void>;
  readonly rewatchMs: number;
}

export const followBucket = ({ who, name, bucket, key, onEntry, loaded, rewatchMs }: FollowBucket) =>
  Effect.acquireUseRelease(
    Effect.tryPromise(async () => ({
      // With a filter, the bucket's count says nothing of the keys watched: the first entry (or none) decides.
      empty: key === undefined && (await bucket.status()).values === 0,
      watch: await bucket.watch(key === undefined ? {} : { key }),
    })),
    ({ empty, watch }) =>
      Effect.gen(function* () {
        if (empty && loaded !== undefined) yield* Deferred.succeed(loaded, undefined);
        const run = Runtime.runSync(yield* Effect.runtime<never>());
        const caughtUp = (entry: KvWatchEntry) => (loaded !== undefined && entry.delta === 0 ? Deferred.succeed(loaded, undefined) : Effect.void);
        // Not Stream.fromAsyncIterable: its finalizer awaits the iterator's return(), which waits for an entry that never comes.
        yield* Effect.tryPromise(async (signal) => {
          signal.addEventListener('abort', () => watch.stop());
          for await (const entry of watch) run(onEntry(entry).pipe(Effect.zipRight(caughtUp(entry))));
        });
      }),
    ({ watch }) => Effect.sync(() => watch.stop()),
  ).pipe(
    Effect.catchAllCause((cause) => Effect.logWarning(`${who}: the watch of ${name} failed; starting it again`, cause)),
    Effect.repeat(Schedule.spaced(Duration.millis(rewatchMs))),
  );
