// Redis down under a real runner process: commands go on and the KV projection stays current; the
// runner is then killed, and its successor (with Redis back) brings the mirror up to the journal.
import { Kvm } from '@nats-io/kv';
import { freePort } from '@larder/testing';
import { Either, Option } from 'effect';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKvStockView } from '../src/Projection/KvStockWriter.js';
import { readRedisStockView } from '../src/Projection/RedisStockWriter.js';
import { reserve, restock, sku } from './Support/Commands.js';
import { journalOf } from './Support/JournalOf.js';
import { makeRunnerFixture, type RunnerFixture } from './Support/RunnerFixture.js';

let f: RunnerFixture;
let redis: Redis;
beforeAll(async () => {
  f = await makeRunnerFixture();
  redis = new Redis(f.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  await redis?.quit();
  await f?.cleanup();
});

describe('a runner whose Redis is down', () => {
  it('keeps deciding and projecting to KV, and the next runner catches the mirror up', async () => {
    const s = sku('JERKY-REDIS-DOWN');
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    const first = await f.startChild({ REDIS_URL: nowhere });
    expect(Either.isRight(await f.request(restock(s, 50)))).toBe(true);
    const holds = await Promise.all(Array.from({ length: 20 }, (_, i) => f.request(reserve(s, `rd-${i}`))));
    expect(holds.every((r) => Either.isRight(r) && r.right._tag === 'Accepted')).toBe(true);

    const lastSeq = (await journalOf(f, s)).at(-1)?.seq ?? 0;
    const kv = await new Kvm(f.nc).open(f.names.buckets.stock);
    await expect
      .poll(async () => Option.getOrUndefined((await readKvStockView(kv, f.names, s)).view)?.seq, { timeout: 10_000 })
      .toBe(lastSeq);
    const prefix = f.env['LARDER_REDIS_PREFIX'] ?? '';
    expect(await readRedisStockView(redis, prefix, s)).toBeUndefined();

    await first.kill('SIGKILL');
    const second = await f.startChild();
    await expect.poll(async () => (await readRedisStockView(redis, prefix, s))?.view.seq, { timeout: 15_000 }).toBe(lastSeq);
    await second.kill('SIGTERM');
  }, 60_000);
});
