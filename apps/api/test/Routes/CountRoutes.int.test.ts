// Stocktake over real HTTP (DESIGN.md §10): POST /v1/counts sends the absolute count to the SKU's owner,
// which turns it into the difference from its own on-hand when it decides. Units held while the count
// was taken stay held; a count sent while holds land never loses or invents a unit; the ledger entry
// shows counted, expected and the difference.
import { randomUUID } from 'node:crypto';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { mapWithLimit } from '../Support/MapWithLimit.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

const CountBody = Schema.Struct({
  sku: Schema.String,
  location: Schema.String,
  counted: Schema.Int,
  expected: Schema.NullOr(Schema.Int),
  difference: Schema.NullOr(Schema.Int),
  onHand: Schema.Int,
  reserved: Schema.Int,
  available: Schema.Int,
  version: Schema.NullOr(Schema.Int),
  duplicate: Schema.Boolean,
});
const LedgerBody = Schema.Struct({
  entries: Schema.Array(Schema.Struct({ type: Schema.String, reason: Schema.String, reference: Schema.NullOr(Schema.String), quantity: Schema.NullOr(Schema.Int), details: Schema.Record({ key: Schema.String, value: Schema.Unknown }) })),
});

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => f?.cleanup());

const count = (body: Record<string, unknown>, key: string = randomUUID()) => f.api.post('/v1/counts', body, { key: f.keys.write, idempotencyKey: key });
const hold = (sku: string, qty: number, key: string = randomUUID()) =>
  f.api.post('/v1/reservations', { lines: [{ sku, qty }], ttlSeconds: 600 }, { key: f.keys.reserve, idempotencyKey: key });

/** The ledger is a projection of the journal: poll until an entry of `type` shows. */
const ledgerEntry = async (sku: string, type: string) => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const page = decodeBody(LedgerBody, await f.api.get(`/v1/skus/${sku}/ledger`));
    const entry = page.entries.find((e) => e.type === type);
    if (entry !== undefined) return entry;
    if (Date.now() > deadline) throw new Error(`no ${type} in the ledger of ${sku}: ${JSON.stringify(page.entries)}`);
    await new Promise((done) => setTimeout(done, 50));
  }
};

describe('given 40 on hand and 5 held', () => {
  it('a count of 37 leaves on hand 37, the 5 still held, 32 available; the answer and the ledger say expected 40, difference −3', async () => {
    const sku = uniqueSku('COUNT');
    await f.seedStock(sku, 40);
    expect((await hold(sku, 5)).status).toBe(201);
    const key = randomUUID();
    const answer = await count({ sku, counted: 37, reference: 'stocktake-2026-12' }, key);
    expect(answer.status, answer.text).toBe(200);
    expect(decodeBody(CountBody, answer)).toMatchObject({ sku, location: 'main', counted: 37, expected: 40, difference: -3, onHand: 37, reserved: 5, available: 32, duplicate: false });
    const stock = await f.waitForStock(sku, (v) => v.onHand === 37);
    expect(stock).toMatchObject({ onHand: 37, reserved: 5, available: 32 });
    expect(await ledgerEntry(sku, 'StockCounted')).toMatchObject({
      reason: 'stocktake',
      reference: 'stocktake-2026-12',
      quantity: -3,
      details: { counted: 37, expected: 40 },
    });
    // The same request again (a client's retry) is the same answer, applied once.
    const again = await count({ sku, counted: 37, reference: 'stocktake-2026-12' }, key);
    expect(again.status).toBe(200);
    expect(decodeBody(CountBody, again)).toMatchObject({ expected: 40, difference: -3 });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a count below the units held keeps the holds and records the uncovered units as a shortfall', async () => {
    const sku = uniqueSku('COUNT-SHORT');
    await f.seedStock(sku, 40);
    expect((await hold(sku, 5)).status).toBe(201);
    const answer = await count({ sku, counted: 2, reference: 'shelf-empty' });
    expect(decodeBody(CountBody, answer)).toMatchObject({ counted: 2, expected: 40, difference: -38, onHand: 2, reserved: 5, available: 0 });
    expect(await ledgerEntry(sku, 'ShortfallRecorded')).toMatchObject({ reason: 'count_below_held', quantity: 3 });
  });
});

describe('a count sent while 100 holds land', () => {
  it('never loses or invents a unit: on hand is the count, every accepted hold is still held', async () => {
    const sku = uniqueSku('COUNT-RACE');
    // 150 on the shelf; holds do not take units off the shelf, so whatever lands before or after it, the count is 150.
    await f.seedStock(sku, 150);
    const requests = Array.from({ length: 101 }, (_, i) => i);
    const answers = await mapWithLimit(requests, 40, async (i) =>
      i === 50 ? { kind: 'count' as const, answer: await count({ sku, counted: 150, reference: 'cycle-count' }) } : { kind: 'hold' as const, answer: await hold(sku, 1) },
    );
    const counted = answers.find((a) => a.kind === 'count');
    expect(counted?.answer.status, counted?.answer.text).toBe(200);
    const held = answers.filter((a) => a.kind === 'hold' && a.answer.status === 201).length;
    expect(held).toBe(100);
    const stock = await f.waitForStock(sku, (v) => v.reserved === held);
    expect(stock).toMatchObject({ onHand: 150, reserved: 100, available: 50 });
    // The count found what the actor expected, whenever it landed among the holds.
    expect(counted === undefined ? null : decodeBody(CountBody, counted.answer)).toMatchObject({ expected: 150, difference: 0, onHand: 150 });
  });
});

describe('a count that names the on-hand it expected', () => {
  it('applies while on hand is as expected, and is refused 409 count-stale (nothing changed) once a sale moved it', async () => {
    const sku = uniqueSku('COUNT-CAS');
    await f.seedStock(sku, 20);
    const ok = await count({ sku, counted: 19, reference: 'cycle-1', expectedOnHand: 20 });
    expect(decodeBody(CountBody, ok)).toMatchObject({ expected: 20, difference: -1, onHand: 19 });
    expect((await f.api.post('/v1/orders', { orderId: `order-${sku}`, lines: [{ sku, qty: 2 }] }, { key: f.keys.write })).status).toBe(202);
    await f.waitForStock(sku, (v) => v.onHand === 17);
    const stale = await count({ sku, counted: 19, reference: 'cycle-2', expectedOnHand: 19 });
    expect(problemOf(stale)).toEqual(problem(409, 'count-stale'));
    expect(stale.body).toMatchObject({ expectedOnHand: 19, onHand: 17 });
    // A restock after it, as a barrier: had the refused count applied, on hand would be 20, not 18.
    expect((await f.seedStock(sku, 1)).onHand).toBe(18);
  });
});

describe('bad counts', () => {
  it.each([
    ['a negative count', { counted: -1, reference: 'x' }],
    ['no reference', { counted: 3 }],
    ['a fractional count', { counted: 1.5, reference: 'x' }],
  ])('refuses %s with 400 problem+json and changes nothing', async (_, body) => {
    const sku = uniqueSku('COUNT-BAD');
    await f.seedStock(sku, 5);
    const answer = await count({ sku, ...body });
    expect(problemOf(answer)).toEqual(problem(400, 'invalid-request'));
    // A restock after it, as a barrier: on hand is the 5 seeded plus 1, untouched by the refused count.
    expect((await f.seedStock(sku, 1)).onHand).toBe(6);
  });
});
