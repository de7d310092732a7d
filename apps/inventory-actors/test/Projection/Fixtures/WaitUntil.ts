// Polls a condition every few milliseconds until it holds; a condition that throws (a server that
// is still down) counts as not yet. Dies with a clear message after the timeout.
import { Effect } from 'effect';

export const waitUntil = (condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) =>
  Effect.gen(function* () {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const holds = yield* Effect.promise(async () => {
        try {
          return await condition();
        } catch {
          return false;
        }
      });
      if (holds) return;
      if (Date.now() > deadline) return yield* Effect.die(new Error(`condition not met within ${timeoutMs} ms`));
      yield* Effect.sleep('2 millis');
    }
  });
