// Lost demand in GET /v1/restock-suggestions over real HTTP, a real runner, ledger and `lost_demand`
// (DESIGN.md §10 "Demand"): a SKU sold out today that refused holds shows the day's refused units in its
// signals and its history, so the day counts (sold + refused) instead of being left out; the same sale
// without refusals leaves the day out (no history).
import { addDays, dayOf, restockSuggestion, RestockInput, type DemandDay } from '@larder/domain';
import { nuid } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestockSuggestionsAnswer, type RestockSuggestionItem } from '../../src/Demand/RestockSuggestions.js';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type ApiInstance, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
/** An API instance whose clock stands at the last millisecond of today (UTC). */
let reader: ApiInstance;
const run = nuid.next().slice(-6);
const refusing = uniqueSku('LOST-REFUSED');
const quiet = uniqueSku('LOST-QUIET');
const retrying = uniqueSku('LOST-RETRIED');
const endOfToday = Date.parse(`${dayOf(Date.now())}T00:00:00Z`) + 86_400_000 - 1;
const today = dayOf(endOfToday);
/** Holds refused at `refusing` once it sold out: 2 + 2 + 1 units. */
const refusedHolds = [2, 2, 1];

let holds = 0;
const hold = (sku: string, qty: number, customerId?: string) => {
  const id = `ld-${run}-${++holds}`;
  const body = { reservationId: id, lines: [{ sku, qty, location: 'main' }], ...(customerId === undefined ? {} : { customerId }) };
  return { id, response: f.api.post('/v1/reservations', body, { key: f.keys.reserve }) };
};
/** Sold out, then one customer retries a refused hold three times (2, 3, 2 units) and another asks once (1). */
const retried: ReadonlyArray<readonly [string, number]> = [['cus_retry', 2], ['cus_retry', 3], ['cus_once', 1], ['cus_retry', 2]];
const holdAndCommit = async (sku: string, qty: number) => {
  const { id, response } = hold(sku, qty);
  const held = await response;
  expect(held.status, held.text).toBe(201);
  const commit = await f.api.post(`/v1/reservations/${id}/commit`, {}, { key: f.keys.reserve });
  expect(commit.status, commit.text).toBe(200);
};

/** The item of `sku` at main once the answer shows today's sales and `refusals` refused holds. */
const itemWhen = async (sku: string, sold: number, refusals: number): Promise<RestockSuggestionItem> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await reader.get(`/v1/restock-suggestions?sku=${sku}&location=main`, { key: f.keys.read });
    expect(answer.status, answer.text).toBe(200);
    const item = decodeBody(RestockSuggestionsAnswer, answer).items.find((i) => i.location === 'main');
    const ledger = await f.api.get(`/v1/skus/${sku}/ledger`, { key: f.keys.read });
    const committed = Schema.decodeUnknownSync(Schema.Struct({ entries: Schema.Array(Schema.Struct({ type: Schema.String, quantity: Schema.NullOr(Schema.Int) })) }))(ledger.body)
      .entries.filter((e) => e.type === 'ReservationCommitted')
      .reduce((sum, e) => sum + (e.quantity ?? 0), 0);
    if (item !== undefined && committed === sold && item.signals.lostDemand.refusals === refusals) return item;
    if (Date.now() > deadline) throw new Error(`${sku} never showed ${sold} sold and ${refusals} refusals (${committed}, ${item?.signals.lostDemand.refusals})`);
    await new Promise((done) => setTimeout(done, 200));
  }
};

/** 89 days before the SKU existed (not sellable, nothing sold), then today. */
const historyWith = (todayDay: Omit<typeof DemandDay.Encoded, 'date'>): ReadonlyArray<typeof DemandDay.Encoded> => [
  ...Array.from({ length: 89 }, (_, i) => ({ date: addDays(today, i - 89), sold: 0, sellable: false, lostDemand: 0 })),
  { date: today, ...todayDay },
];
const expected = (sku: string, todayDay: Omit<typeof DemandDay.Encoded, 'date'>) =>
  restockSuggestion(
    Schema.decodeSync(RestockInput)({ sku, location: 'main', today, days: historyWith(todayDay), onHand: 0, reserved: 0, leadTimeDays: 14, serviceLevel: 0.95 }),
  );

beforeAll(async () => {
  f = await makeSystemFixture();
  reader = await f.startApiInstance({}, { clock: () => endOfToday });
  await f.seedStock(refusing, 4);
  await f.seedStock(quiet, 4);
  await holdAndCommit(refusing, 4);
  await holdAndCommit(quiet, 4);
  await f.seedStock(retrying, 4);
  await holdAndCommit(retrying, 4);
  for (const [customer, qty] of retried) {
    const refused = await hold(retrying, qty, customer).response;
    expect(problemOf(refused), refused.text).toEqual(problem(409, 'insufficient-stock'));
  }
  for (const qty of refusedHolds) {
    const refused = await hold(refusing, qty).response;
    expect(problemOf(refused), refused.text).toEqual(problem(409, 'insufficient-stock'));
  }
}, 120_000);
afterAll(async () => {
  await reader?.stop();
  await f?.cleanup();
});

describe('a SKU sold out today that refused holds', () => {
  it('shows the day’s refused units beside the suggestion and counts the day as sold + refused', async () => {
    const item = await itemWhen(refusing, 4, refusedHolds.length);
    expect(item.signals).toMatchObject({ pollVotes: 0, lostDemandUnits: 5, lostDemand: { units: 5, refusals: 3, days: 1 } });
    // Every figure as the domain gives it for that history (the item adds `signals` and `policy.defaulted`).
    expect(item).toMatchObject(expected(refusing, { sold: 4, sellable: false, lostDemand: 5 }));
    expect(item.explain).toMatchObject({ daysUsed: 1, soldOutDaysLeftOut: 89, lostDemandUnits: 5 });
    expect(item.dailyDemand).toBe(9);
    expect(item.status).not.toBe('no_history');
    expect(item.suggestedQuantity).toBeGreaterThan(0);
  }, 60_000);
});

describe('the same sale without refusals', () => {
  it('leaves the sold-out day out: the refusals only ever raised the velocity', async () => {
    const [withRefusals, without] = [await itemWhen(refusing, 4, refusedHolds.length), await itemWhen(quiet, 4, 0)];
    expect(without.signals.lostDemand).toEqual({ units: 0, refusals: 0, days: 0 });
    expect(without).toMatchObject(expected(quiet, { sold: 4, sellable: false, lostDemand: 0 }));
    expect(without.status).toBe('no_history');
    expect(withRefusals.dailyDemand).toBeGreaterThan(without.dailyDemand);
    expect(withRefusals.dailyDemand).toBeGreaterThanOrEqual(4);
  }, 60_000);
});

describe('a customer who retries a refused hold', () => {
  it('counts as their largest ask once a day, not once per retry', async () => {
    const item = await itemWhen(retrying, 4, retried.length);
    // cus_retry wanted at most 3, cus_once 1: 4 units lost, from 4 refusals (2 + 3 + 1 + 2 = 8 if each retry counted).
    expect(item.signals.lostDemand).toEqual({ units: 4, refusals: 4, days: 1 });
    expect(item).toMatchObject(expected(retrying, { sold: 4, sellable: false, lostDemand: 4 }));
  }, 60_000);
});

describe('the API document', () => {
  it('declares the lost-demand signal of a suggestion', async () => {
    const Document = Schema.Struct({ components: Schema.Struct({ schemas: Schema.Record({ key: Schema.String, value: Schema.Unknown }) }) });
    const doc = decodeBody(Document, await f.api.get('/docs/openapi.json', { key: null }));
    expect(doc.components.schemas['LostDemandSignal']).toMatchObject({ required: ['units', 'refusals', 'days'] });
    expect(doc.components.schemas['RestockSuggestion']).toMatchObject({
      properties: { signals: { properties: { lostDemand: { $ref: '#/components/schemas/LostDemandSignal' } } } },
    });
  });
});
