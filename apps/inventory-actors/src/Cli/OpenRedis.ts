// The CLI's Redis client: connects once, fails at once with REDIS_URL in the message when Redis is not
// there (no endless reconnects), and quits when the scope closes.
import { Effect } from 'effect';
import { Redis } from 'ioredis';
import { CliError, describeError } from './CliErrors.js';

export const openRedis = (url: string) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
        // Errors reach the commands that fail; without a listener ioredis would also print them.
        redis.on('error', () => undefined);
        await redis.connect();
        return redis;
      },
      catch: (error) => new CliError({ message: `Redis at ${url} (REDIS_URL) could not be reached: ${describeError(error)}` }),
    }),
    (redis) => Effect.promise(() => redis.quit()).pipe(Effect.ignore),
  );
