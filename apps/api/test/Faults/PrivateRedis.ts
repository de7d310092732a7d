// Fault helpers for the runners' Redis mirror (the private redis-server itself is libs/testing's
// startRedisServer): a reader of one SKU's mirrored hash, and polling.
import { Redis } from 'ioredis';
import type { StockBody } from '../Support/Bodies.js';

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** A short-lived client that fails at once when Redis is down (no reconnects, no queue). */
export const withRedis = async <A>(url: string, work: (redis: Redis) => Promise<A>): Promise<A> => {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
};

/** The scalars of `<prefix>stock:<sku>` as the runner's RedisStockWriter writes them; undefined when absent. */
export interface MirroredStock {
  readonly seq: number;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
}

export const readMirror = (url: string, prefix: string, sku: string): Promise<MirroredStock | undefined> =>
  withRedis(url, async (redis) => {
    const hash = await redis.hgetall(`${prefix}stock:${sku}`);
    if (Object.keys(hash).length === 0) return undefined;
    return { seq: Number(hash['seq']), onHand: Number(hash['onHand']), reserved: Number(hash['reserved']), available: Number(hash['available']) };
  });

/** The mirror as the API's view (KV) says it should be: same sequence and levels. */
export const mirrorOf = (view: StockBody): MirroredStock => ({ seq: view.version, onHand: view.onHand, reserved: view.reserved, available: view.available });

/** Polls `probe` (errors count as "not yet") until `done` holds; returns that value or throws with the last one. */
export const pollUntil = async <A>(what: string, probe: () => Promise<A>, done: (value: A) => boolean, timeoutMs: number, everyMs = 100): Promise<A> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await sleep(everyMs);
  }
};
