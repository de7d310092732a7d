// The async write routes over real HTTP (DESIGN.md §6): orders, restocks, adjustments and returns
// answer 202 once JetStream holds the command, and the stock view then moves by exactly that much;
// PUT /v1/skus creates then updates a catalogue entry whose safety stock the view applies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => f?.cleanup());

const accepted = async (path: string, body: unknown) => {
  const answer = await f.api.post(path, body, { key: f.keys.write });
  expect(answer.status, `${path}: ${answer.text}`).toBe(202);
  return answer;
};

describe('POST /v1/restocks', () => {
  it('202, and a SKU never seen before appears in the view with the units', async () => {
    const sku = uniqueSku('RESTOCK');
    await accepted('/v1/restocks', { sku, qty: 12, reference: 'po-1' });
    expect(await f.waitForStock(sku, (v) => v.onHand === 12)).toMatchObject({ onHand: 12, reserved: 0, available: 12 });
    await accepted('/v1/restocks', { sku, qty: 3, reference: 'po-2', location: 'main' });
    await f.waitForStock(sku, (v) => v.onHand === 15);
  });
});

describe('POST /v1/orders', () => {
  it('202, and every line’s sale shows in the view', async () => {
    const [a, c] = [uniqueSku('ORDER-A'), uniqueSku('ORDER-B')];
    await Promise.all([f.seedStock(a, 10), f.seedStock(c, 10)]);
    await accepted('/v1/orders', { orderId: `order-${a}`, lines: [{ sku: a, qty: 2 }, { sku: c, qty: 5 }] });
    expect(await f.waitForStock(a, (v) => v.onHand === 8)).toMatchObject({ onHand: 8, available: 8 });
    expect(await f.waitForStock(c, (v) => v.onHand === 5)).toMatchObject({ onHand: 5, available: 5 });
  });

  it('a sale beyond the stock is recorded, not hidden: onHand goes below zero and nothing is available', async () => {
    const sku = uniqueSku('ORDER-SHORT');
    await f.seedStock(sku, 5);
    await accepted('/v1/orders', { orderId: `order-${sku}`, lines: [{ sku, qty: 8 }] });
    expect(await f.waitForStock(sku, (v) => v.onHand === -3)).toMatchObject({ onHand: -3, available: 0 });
  });

  it('needs stock:write (a stock:reserve key → 403)', async () => {
    const answer = await f.api.post('/v1/orders', { orderId: 'o-scope', lines: [{ sku: 'ANY', qty: 1 }] }, { key: f.keys.reserve });
    expect(problemOf(answer)).toEqual(problem(403, 'forbidden'));
  });
});

describe('POST /v1/adjustments', () => {
  it('202, and the view moves by the delta, down or up', async () => {
    const sku = uniqueSku('ADJUST');
    await f.seedStock(sku, 10);
    await accepted('/v1/adjustments', { sku, delta: -3, reason: 'damaged', reference: 'adj-1' });
    await f.waitForStock(sku, (v) => v.onHand === 7);
    await accepted('/v1/adjustments', { sku, delta: 5, reason: 'count_correction', reference: 'adj-2' });
    expect(await f.waitForStock(sku, (v) => v.onHand === 12)).toMatchObject({ onHand: 12, available: 12 });
  });
});

describe('POST /v1/returns', () => {
  it('202; a restockable return adds the units, one that is not leaves onHand alone', async () => {
    const sku = uniqueSku('RETURN');
    await f.seedStock(sku, 10);
    await accepted('/v1/returns', { sku, qty: 2, orderId: 'o-ret-1', restockable: true, reference: 'rma-1' });
    await f.waitForStock(sku, (v) => v.onHand === 12);
    await accepted('/v1/returns', { sku, qty: 4, orderId: 'o-ret-2', restockable: false, reference: 'rma-2' });
    // A restock of 1 afterwards: 13 exactly means the unrestockable return added nothing (else 17).
    await accepted('/v1/restocks', { sku, qty: 1, reference: 'po-after-return' });
    expect(await f.waitForStock(sku, (v) => v.onHand === 13)).toMatchObject({ onHand: 13 });
  });
});

describe('scopes of the back-office routes', () => {
  it.each(['/v1/restocks', '/v1/adjustments', '/v1/returns'])('%s needs stock:write (stock:read and stock:reserve keys → 403)', async (path) => {
    for (const key of [f.keys.read, f.keys.reserve]) {
      const answer = await f.api.post(path, { sku: 'ANY', qty: 1 }, { key });
      expect(problemOf(answer)).toEqual(problem(403, 'forbidden'));
      expect(answer.body).toMatchObject({ requiredScope: 'stock:write' });
    }
  });
});

describe('PUT /v1/skus/{sku}', () => {
  it('201 creates the entry, 200 updates it, and the view applies its safety stock', async () => {
    const sku = uniqueSku('CATALOG');
    await f.seedStock(sku, 10);
    const created = await f.api.put(`/v1/skus/${sku}`, { name: 'Original beef jerky 100 g', safetyStock: 2, lowStockThreshold: 5 }, { key: f.keys.write });
    expect(created.status, created.text).toBe(201);
    const updated = await f.api.put(`/v1/skus/${sku}`, { name: 'Original beef jerky 100 g', safetyStock: 3 }, { key: f.keys.write });
    expect(updated.status, updated.text).toBe(200);
    expect(await f.waitForStock(sku, (v) => v.available === 7)).toMatchObject({ onHand: 10, reserved: 0, available: 7 });
  });

  it('needs stock:write, and refuses an invalid SKU or body', async () => {
    expect(problemOf(await f.api.put('/v1/skus/ANY-1', { name: 'x' }, { key: f.keys.read }))).toEqual(problem(403, 'forbidden'));
    expect(problemOf(await f.api.put('/v1/skus/BAD.SKU', { name: 'x' }, { key: f.keys.write }))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.put('/v1/skus/ANY-1', { safetyStock: -1 }, { key: f.keys.write }))).toEqual(problem(400, 'invalid-request'));
  });
});
