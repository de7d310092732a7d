// Sales channels and shelf life over real HTTP against a real shard runner (DESIGN.md §10 "Lots and
// shelf life"): a registered channel's terms decide which lots its reads count and its holds may take
// (the boundary day is sellable); the unregistered default `web` has none; lots, channels and lot
// policies are checked at the door.
import { nuid } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => f?.cleanup());

const Channel = Schema.Struct({ id: Schema.String, name: Schema.String, minShelfLifeDays: Schema.Int, handlingDays: Schema.Int, updatedAt: Schema.String });
const Stock = Schema.Struct({
  available: Schema.Int,
  onHand: Schema.Int,
  channel: Schema.optional(Schema.String),
  sellableFrom: Schema.optional(Schema.String),
  locations: Schema.Array(Schema.Struct({ location: Schema.String, available: Schema.Int, lots: Schema.Array(Schema.Struct({ code: Schema.String, bestBefore: Schema.String, onHand: Schema.Int })) })),
});
const Ledger = Schema.Struct({ entries: Schema.Array(Schema.Struct({ type: Schema.String, details: Schema.Record({ key: Schema.String, value: Schema.Unknown }) })) });

/** A calendar date `offset` days from today (UTC), as the API reckons "today". */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const restock = (sku: string, qty: number, lot: unknown) => f.api.post('/v1/restocks', { sku, qty, reference: `po-${nuid.next()}`, lot }, { key: f.keys.write });
const reserve = (sku: string, qty: number, channel?: string) =>
  f.api.post('/v1/reservations', { lines: [{ sku, qty }], ...(channel === undefined ? {} : { channel }) }, { key: f.keys.reserve });

describe('channels', () => {
  it('registers a channel (201, then 200), lists it and reads it; refuses days out of range', async () => {
    const created = await f.api.put('/v1/channels/wholesale', { name: 'Wholesale', minShelfLifeDays: 120, handlingDays: 3 }, { key: f.keys.write });
    expect(created.status, created.text).toBe(201);
    expect(decodeBody(Channel, created)).toMatchObject({ id: 'wholesale', minShelfLifeDays: 120, handlingDays: 3 });
    const changed = await f.api.put('/v1/channels/wholesale', { name: 'Wholesale', minShelfLifeDays: 100, handlingDays: 3 }, { key: f.keys.write });
    expect(changed.status, changed.text).toBe(200);
    expect(decodeBody(Channel, await f.api.get('/v1/channels/wholesale'))).toMatchObject({ minShelfLifeDays: 100 });
    const list = decodeBody(Schema.Struct({ items: Schema.Array(Channel) }), await f.api.get('/v1/channels'));
    expect(list.items.map((c) => c.id)).toContain('wholesale');
    expect(problemOf(await f.api.get('/v1/channels/nosuch'))).toEqual(problem(404, 'not-found'));
    expect(problemOf(await f.api.put('/v1/channels/wholesale', { name: 'W', minShelfLifeDays: 3651, handlingDays: 0 }, { key: f.keys.write }))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.put('/v1/channels/Bad!', { name: 'W', minShelfLifeDays: 1, handlingDays: 0 }, { key: f.keys.write }))).toEqual(problem(400, 'invalid-request'));
  });

  it('retail (90 days, no handling) counts and holds only the lot with 90 days left; web (unregistered) may take every lot', async () => {
    expect((await f.api.put('/v1/channels/retail', { name: 'Retail', minShelfLifeDays: 90, handlingDays: 0 }, { key: f.keys.write })).status).toBe(201);
    const sku = uniqueSku('SHELF');
    expect((await restock(sku, 10, { code: 'D90', bestBefore: day(90) })).status).toBe(202);
    expect((await restock(sku, 7, { code: 'D89', bestBefore: day(89) })).status).toBe(202);
    await f.waitForStock(sku, (v) => v.onHand === 17);

    const plain = decodeBody(Stock, await f.api.get(`/v1/stock/${sku}`));
    expect(plain.available).toBe(17);
    expect(plain.channel).toBeUndefined();
    expect(plain.locations[0]?.lots.map((l) => [l.code, l.onHand])).toEqual([
      ['D89', 7],
      ['D90', 10],
    ]);
    const retail = decodeBody(Stock, await f.api.get(`/v1/stock/${sku}?channel=retail`));
    expect(retail).toMatchObject({ available: 10, onHand: 17, channel: 'retail', sellableFrom: day(90) });
    expect(retail.locations[0]?.available).toBe(10);
    expect(decodeBody(Stock, await f.api.get(`/v1/stock/${sku}?channel=web`))).toMatchObject({ available: 17, channel: 'web' });

    const short = await reserve(sku, 11, 'retail');
    expect(problemOf(short)).toEqual(problem(409, 'insufficient-stock'));
    expect(short.body).toMatchObject({ lines: [{ sku, requested: 11, available: 10 }] });
    const all = await reserve(sku, 17, 'web');
    expect(all.status, all.text).toBe(201);
    expect((await reserve(sku, 1)).status).toBe(409);
  });

  it('a hold on a channel keeps its lot: the channel read counts it as taken', async () => {
    expect([200, 201]).toContain((await f.api.put('/v1/channels/retail', { name: 'Retail', minShelfLifeDays: 90, handlingDays: 0 }, { key: f.keys.write })).status);
    const sku = uniqueSku('SHELF-HOLD');
    expect((await restock(sku, 6, { code: 'LONG', bestBefore: day(200) })).status).toBe(202);
    expect((await restock(sku, 6, { code: 'SHORT', bestBefore: day(30) })).status).toBe(202);
    await f.waitForStock(sku, (v) => v.onHand === 12);
    const held = await reserve(sku, 4, 'retail');
    expect(held.status, held.text).toBe(201);
    const id = decodeBody(Schema.Struct({ reservationId: Schema.String }), held).reservationId;
    expect(decodeBody(Schema.Struct({ channel: Schema.optional(Schema.String) }), await f.api.get(`/v1/reservations/${id}`)).channel).toBe('retail');
    await f.waitForStock(sku, (v) => v.reserved === 4);
    // Only LONG is sellable on retail, and 4 of its 6 are promised to the hold.
    expect(decodeBody(Stock, await f.api.get(`/v1/stock/${sku}?channel=retail`)).available).toBe(2);
    expect(decodeBody(Stock, await f.api.get(`/v1/stock/${sku}`)).available).toBe(8);
  });
});

describe('bad input', () => {
  it('refuses a lot with an impossible date (400), an unknown channel (422) and a known lot code with another best-before (409)', async () => {
    const sku = uniqueSku('LOTBAD');
    expect(problemOf(await restock(sku, 1, { code: 'L1', bestBefore: '2027-02-30' }))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await restock(sku, 1, { code: 'bad code', bestBefore: '2027-02-28' }))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.post('/v1/adjustments', { sku, delta: -1, reason: 'damaged', reference: 'x', lot: 'no/slash' }, { key: f.keys.write }))).toEqual(
      problem(400, 'invalid-request'),
    );

    expect((await restock(sku, 5, { code: 'L1', bestBefore: '2027-02-28', producedOn: '2026-08-28', establishment: 'EST. 12345' })).status).toBe(202);
    await f.waitForStock(sku, (v) => v.onHand === 5);
    const mismatch = await restock(sku, 5, { code: 'L1', bestBefore: '2027-03-01' });
    expect(problemOf(mismatch)).toEqual(problem(409, 'lot-mismatch'));
    expect(mismatch.body).toMatchObject({ lot: 'L1', bestBefore: '2027-02-28', given: '2027-03-01' });
    const returned = await f.api.post('/v1/returns', { sku, qty: 1, orderId: 'o-1', restockable: true, reference: 'rma-1', lot: { code: 'L1', bestBefore: '2027-03-01' } }, { key: f.keys.write });
    expect(problemOf(returned)).toEqual(problem(409, 'lot-mismatch'));
    // The same lot again is fine.
    expect((await restock(sku, 2, { code: 'L1', bestBefore: '2027-02-28' })).status).toBe(202);

    expect(problemOf(await reserve(sku, 1, 'nosuch'))).toEqual(problem(422, 'unknown-channel'));
    expect(problemOf(await f.api.post('/v1/orders', { orderId: 'o-2', channel: 'nosuch', lines: [{ sku, qty: 1 }] }, { key: f.keys.write }))).toEqual(problem(422, 'unknown-channel'));
    expect(problemOf(await f.api.get(`/v1/stock/${sku}?channel=nosuch`))).toEqual(problem(422, 'unknown-channel'));
    expect(problemOf(await f.api.get(`/v1/stock/${sku}?channel=NO!`))).toEqual(problem(400, 'invalid-request'));
  });

  it('sends a SKU’s lot policy (alertDays, removalDays) to its owner', async () => {
    const sku = uniqueSku('LOTPOLICY');
    const put = await f.api.put(`/v1/skus/${sku}`, { name: 'Teriyaki', alertDays: 60, removalDays: 14 }, { key: f.keys.write });
    expect([200, 201], put.text).toContain(put.status);
    expect(problemOf(await f.api.put(`/v1/skus/${sku}`, { name: 'Teriyaki', alertDays: -1 }, { key: f.keys.write }))).toEqual(problem(400, 'invalid-request'));
    const deadline = Date.now() + 20_000;
    let policy: Record<string, unknown> | undefined;
    while (policy === undefined && Date.now() < deadline) {
      const ledger = decodeBody(Ledger, await f.api.get(`/v1/skus/${sku}/ledger`));
      policy = ledger.entries.find((e) => e.type === 'StockPolicySet')?.details;
      if (policy === undefined) await new Promise((done) => setTimeout(done, 50));
    }
    expect(policy).toMatchObject({ alertDays: 60, removalDays: 14 });
  });
});
