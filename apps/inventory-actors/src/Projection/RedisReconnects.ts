// Tells when the Redis client is ready again after its connection was lost. Redis may have come back
// empty (restarted without persistence): nothing marks the SKUs written before as dirty again, so
// the projector must rewrite them itself.
import { Effect, Runtime } from 'effect';
import type { Redis } from 'ioredis';

const lossEvents = ['error', 'close', 'end'] as const;

/** Runs `then` in the background each time `redis` is `ready` after an `error`, `close` or `end`, for the scope's life. */
export const onRedisReconnected = (redis: Redis, then: Effect.Effect<void>) =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<never>();
    // The first `ready` (start-up) is not a reconnection: only a loss arms it.
    let lost = false;
    const onLost = () => {
      lost = true;
    };
    const onReady = () => {
      if (!lost) return;
      lost = false;
      Runtime.runFork(runtime)(then);
    };
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        lossEvents.forEach((event) => redis.on(event, onLost));
        redis.on('ready', onReady);
      }),
      () =>
        Effect.sync(() => {
          lossEvents.forEach((event) => redis.off(event, onLost));
          redis.off('ready', onReady);
        }),
    );
  });
