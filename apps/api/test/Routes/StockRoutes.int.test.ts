// Availability reads over real HTTP, answered from each instance's copy of the KV projection:
// an unknown SKU is a 404 problem, a restocked one appears with `version` and `asOf` on every
// instance, the batch form splits found from missing and refuses more than 100 SKUs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf, StockBatchBody, StockBody } from '../Support/Bodies.js';
import type { ApiInstance } from '../Support/SystemFixture.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
let b: ApiInstance;
beforeAll(async () => {
  f = await makeSystemFixture();
  b = await f.startApiInstance();
});
afterAll(async () => f?.cleanup());

const batch = (skus: ReadonlyArray<string>) => `/v1/stock?${skus.map((s) => `sku=${encodeURIComponent(s)}`).join('&')}`;

describe('one SKU', () => {
  it('an unknown SKU → 404 problem+json', async () => {
    const answer = await f.api.get(`/v1/stock/${uniqueSku('UNKNOWN')}`);
    expect(problemOf(answer)).toEqual(problem(404, 'not-found'));
  });

  it('a SKU that can never exist (".", spaces) → 400 problem+json', async () => {
    expect(problemOf(await f.api.get('/v1/stock/JERKY.ORIGINAL'))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.get('/v1/stock/JERKY%20ORIGINAL'))).toEqual(problem(400, 'invalid-request'));
  });

  it('after a restock the view appears with integer levels, a version and an asOf, on every instance', async () => {
    const sku = uniqueSku('READ');
    const seeded = await f.seedStock(sku, 40);
    expect(seeded).toMatchObject({ sku, onHand: 40, reserved: 0, available: 40 });
    expect(seeded.version).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(seeded.asOf))).toBe(false);
    expect(new Date(seeded.asOf).toISOString()).toBe(seeded.asOf);
    const onB = await f.waitForStock(sku, (v) => v.version === seeded.version, b);
    expect(onB).toEqual(seeded);
  });

  it('the version only grows as the stock changes', async () => {
    const sku = uniqueSku('VERSION');
    const first = await f.seedStock(sku, 3);
    const second = await f.seedStock(sku, 4);
    expect(second.onHand).toBe(7);
    expect(second.version).toBeGreaterThan(first.version);
    expect(Date.parse(second.asOf)).toBeGreaterThanOrEqual(Date.parse(first.asOf));
  });
});

describe('the batch form', () => {
  it('answers the known SKUs in items and the unknown ones in missing', async () => {
    const known = [uniqueSku('BATCH-A'), uniqueSku('BATCH-B')];
    for (const sku of known) await f.seedStock(sku, 2);
    const unknown = uniqueSku('BATCH-MISSING');
    const answer = await f.api.get(batch([...known, unknown]));
    expect(answer.status).toBe(200);
    const body = decodeBody(StockBatchBody, answer);
    expect(body.items.map((i) => i.sku).sort()).toEqual([...known].sort());
    expect(body.items.every((i) => i.onHand === 2 && i.available === 2)).toBe(true);
    expect(body.missing).toEqual([unknown]);
  });

  it('one sku= works, and a SKU asked twice is answered once', async () => {
    const sku = uniqueSku('BATCH-ONE');
    await f.seedStock(sku, 1);
    const one = decodeBody(StockBatchBody, await f.api.get(batch([sku])));
    expect(one.items.map((i) => i.sku)).toEqual([sku]);
    const twice = decodeBody(StockBatchBody, await f.api.get(batch([sku, sku])));
    expect(twice.items.map((i) => i.sku)).toEqual([sku]);
    expect(decodeBody(StockBody, await f.api.get(`/v1/stock/${sku}`))).toEqual(one.items[0]);
  });

  it('exactly 100 SKUs → 200', async () => {
    const skus = Array.from({ length: 100 }, (_, i) => `MANY-${i}`);
    const body = decodeBody(StockBatchBody, await f.api.get(batch(skus)));
    expect(body.missing).toHaveLength(100);
  });

  it('more than 100 SKUs → 400 problem+json', async () => {
    const skus = Array.from({ length: 101 }, (_, i) => `MANY-${i}`);
    expect(problemOf(await f.api.get(batch(skus)))).toEqual(problem(400, 'invalid-request'));
  });

  it('no sku, an empty sku or an invalid one → 400 problem+json', async () => {
    expect(problemOf(await f.api.get('/v1/stock'))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.get('/v1/stock?sku='))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.get(batch(['OK-1', 'NOT*OK'])))).toEqual(problem(400, 'invalid-request'));
  });
});
