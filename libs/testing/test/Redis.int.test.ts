// Redis against the real server under a per-file key prefix: hash round trip, expiry, and prefix cleanup
// that leaves other prefixes alone.
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, makeTestNamespace, requireRedis, type ServiceEndpoint } from '../src/index.js';

const ns = makeTestNamespace();
const other = makeTestNamespace();
let endpoint: ServiceEndpoint;
let redis: Redis;

// Cleanup is returned from beforeAll, so a service that is down shows only the error naming what to start.
beforeAll(async () => {
  endpoint = await requireRedis();
  redis = new Redis(endpoint.url);
  return async () => {
    await deleteRedisKeys(redis, ns.redisPrefix);
    await deleteRedisKeys(redis, other.redisPrefix);
    redis.disconnect();
    await endpoint.stop();
  };
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('a hash under the test prefix', () => {
  it('reads back what was written', async () => {
    const key = `${ns.redisPrefix}stock:sku-1`;
    await redis.hset(key, { onHand: '10', reserved: '2', version: '7' });
    expect(await redis.hgetall(key)).toEqual({ onHand: '10', reserved: '2', version: '7' });
  });

  it('disappears after its expiry', async () => {
    const key = `${ns.redisPrefix}idem:key-1`;
    await redis.hset(key, { status: '201' });
    await redis.pexpire(key, 150);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await sleep(300);
    expect(await redis.exists(key)).toBe(0);
  });
});

describe('prefix cleanup', () => {
  it('deletes every key under the prefix (SCAN in batches) and keeps other prefixes', async () => {
    const keys = Array.from({ length: 1_200 }, (_, i) => `${ns.redisPrefix}bulk:${i}`);
    await redis.mset(Object.fromEntries(keys.map((k) => [k, '1'])));
    await redis.set(`${other.redisPrefix}keep`, '1');

    const deleted = await deleteRedisKeys(redis, ns.redisPrefix);

    expect(deleted).toBeGreaterThanOrEqual(keys.length);
    const [, left] = await redis.scan('0', 'MATCH', `${ns.redisPrefix}*`, 'COUNT', 10_000);
    expect(left).toEqual([]);
    expect(await redis.get(`${other.redisPrefix}keep`)).toBe('1');
  });
});
