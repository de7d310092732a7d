// The KV and Redis writers against the real servers: a view lands with its seq and quantities, and
// an older seq written after a newer one changes nothing (a retry, or a deposed owner's late write).
import { afterAll, beforeAll, describe, expect, it } from '@effect/vitest';
import { Effect, Option } from 'effect';
import { makeKvStockWriter, readKvStockView } from '../../src/Projection/KvStockWriter.js';
import { makeRedisStockWriter, readRedisStockView } from '../../src/Projection/RedisStockWriter.js';
import { decidedSku, restock, sale, viewAfter } from './Fixtures/DecidedSku.js';
import { openProjectionServices, type ProjectionServices } from './Fixtures/ProjectionServices.js';

let s: ProjectionServices;
beforeAll(async () => {
  s = await openProjectionServices();
});
afterAll(async () => {
  await s?.close();
});

describe('the Redis mirror', () => {
  it('stores the view as a hash whose fields match it', async () => {
    const jerky = decidedSku('REDIS-1', 7);
    const view = viewAfter(jerky.run(restock(12), sale(5)));
    await Effect.runPromise(makeRedisStockWriter({ redis: s.redis, prefix: s.redisPrefix }).write(view));
    const stored = await readRedisStockView(s.redis, s.redisPrefix, jerky.sku);
    expect(stored?.view).toStrictEqual(view);
    expect(stored?.hash).toMatchObject({ seq: 7, asOf: view.asOf, onHand: 7, reserved: 0, safetyStock: 0, available: 7, status: 'in_stock' });
  });

  it('leaves a newer view in place when an older seq arrives after it', async () => {
    const jerky = decidedSku('REDIS-2', 20);
    const older = viewAfter(jerky.run(restock(3)));
    const newer = viewAfter(jerky.run(restock(4)));
    const writer = makeRedisStockWriter({ redis: s.redis, prefix: s.redisPrefix });
    await Effect.runPromise(writer.write(newer));
    await Effect.runPromise(writer.write(older));
    await Effect.runPromise(writer.write(newer));
    const stored = await readRedisStockView(s.redis, s.redisPrefix, jerky.sku);
    expect(stored?.hash.seq).toBe(21);
    expect(stored?.view).toStrictEqual(newer);
  });
});

describe('the KV projection', () => {
  it('stores the view under the SKU key, and an older seq from the same writer changes nothing', async () => {
    const jerky = decidedSku('KV-1', 3);
    const older = viewAfter(jerky.run(restock(9)));
    const view = viewAfter(jerky.run(sale(2)));
    const writer = makeKvStockWriter({ kv: s.kv, names: s.names });
    await Effect.runPromise(writer.write(view));
    const stored = await readKvStockView(s.kv, s.names, jerky.sku);
    expect(stored.view).toStrictEqual(Option.some(view));
    await Effect.runPromise(writer.write(older));
    expect(await readKvStockView(s.kv, s.names, jerky.sku)).toStrictEqual(stored);
  });

  it("keeps the new owner's newer view when a deposed owner writes an older one late", async () => {
    const jerky = decidedSku('KV-2', 10);
    const first = viewAfter(jerky.run(restock(1)));
    const stale = viewAfter(jerky.run(restock(1)));
    const newest = viewAfter(jerky.run(restock(1)));
    const deposed = makeKvStockWriter({ kv: s.kv, names: s.names });
    const owner = makeKvStockWriter({ kv: s.kv, names: s.names });
    await Effect.runPromise(deposed.write(first));
    await Effect.runPromise(owner.write(newest));
    const revision = (await readKvStockView(s.kv, s.names, jerky.sku)).revision;
    await Effect.runPromise(deposed.write(stale));
    const stored = await readKvStockView(s.kv, s.names, jerky.sku);
    expect(stored.view).toStrictEqual(Option.some(newest));
    expect(stored.revision).toBe(revision);
    // A writer that lost a race has picked up the stored revision: a newer view still goes through.
    const next = viewAfter(jerky.run(sale(1)));
    await Effect.runPromise(deposed.write(next));
    expect((await readKvStockView(s.kv, s.names, jerky.sku)).view).toStrictEqual(Option.some(next));
  });
});
