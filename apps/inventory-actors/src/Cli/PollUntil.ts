// Re-reads something until it satisfies a condition or the deadline passes, and hands back the last
// value read either way (the caller says what was still wrong when time ran out).
import { Duration, Effect } from 'effect';

export interface Polled<A> {
  readonly met: boolean;
  readonly last: A;
}

export const pollUntil = <A, E>(read: Effect.Effect<A, E>, done: (a: A) => boolean, timeoutMs: number, everyMs = 200) =>
  Effect.gen(function* () {
    const deadline = Date.now() + timeoutMs;
    let last = yield* read;
    while (!done(last)) {
      if (Date.now() >= deadline) return { met: false, last } satisfies Polled<A>;
      yield* Effect.sleep(Duration.millis(everyMs));
      last = yield* read;
    }
    return { met: true, last } satisfies Polled<A>;
  });
