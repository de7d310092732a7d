// GET /v1/restock-suggestions over real HTTP, a real runner and ledger (DESIGN.md §10 "Demand"): holds
// committed today are today's sales; each answer equals the domain's restockSuggestion for the same
// history, stock and policy; a SKU sold out today leaves the day out; a short-lived lot on a registered
// channel caps the order; the catalogue pages; a PUT sets the replenishment policy.
import { Actor, addDays, CalendarDate, CommandId, dayOf, EpochMillis, LocationId, LotCode, Quantity, Reference, restockSuggestion, RestockInput, Sku, type DemandDay } from '@larder/domain';
import { nuid } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogEntryAnswer } from '../../src/Catalog/CatalogEntry.js';
import { RestockSuggestionsAnswer, type RestockSuggestionItem } from '../../src/Demand/RestockSuggestions.js';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type ApiInstance, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
/** An API instance whose clock stands at the last millisecond of today (UTC): today's sales, then the rest of the day as it stands. */
let reader: ApiInstance;
const run = nuid.next().slice(-6);
const sold = uniqueSku('DEMAND-SOLD');
const soldOut = uniqueSku('DEMAND-OUT');
const lotted = uniqueSku('DEMAND-LOT');
const endOfToday = Date.parse(`${dayOf(Date.now())}T00:00:00Z`) + 86_400_000 - 1;
const today = dayOf(endOfToday);
const policy = { leadTimeDays: 7, serviceLevel: 0.9, reviewDays: 3 };
const shortLot = { code: LotCode.make(`L-${run}`), producedOn: addDays(today, -10), bestBefore: addDays(today, 35) };

let holds = 0;
const holdAndCommit = async (sku: string, qty: number) => {
  const id = `dm-${run}-${++holds}`;
  const held = await f.api.post('/v1/reservations', { reservationId: id, customerId: `c-${id}`, lines: [{ sku, qty, location: 'main' }] }, { key: f.keys.reserve });
  expect(held.status, held.text).toBe(201);
  const commit = await f.api.post(`/v1/reservations/${id}/commit`, {}, { key: f.keys.reserve });
  expect(commit.status, commit.text).toBe(200);
};

const suggestions = async (query: string) => {
  const answer = await reader.get(`/v1/restock-suggestions?${query}`, { key: f.keys.read });
  expect(answer.status, answer.text).toBe(200);
  return decodeBody(RestockSuggestionsAnswer, answer);
};

/** The suggestion of `sku` at main once the ledger shows `units` sold today. */
const suggestionWhen = async (sku: string, units: number): Promise<RestockSuggestionItem> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const body = await suggestions(`sku=${sku}`);
    const item = body.items.find((i) => i.location === 'main');
    const ledger = await f.api.get(`/v1/skus/${sku}/ledger`, { key: f.keys.read });
    const committed = Schema.decodeUnknownSync(Schema.Struct({ entries: Schema.Array(Schema.Struct({ type: Schema.String, quantity: Schema.NullOr(Schema.Int) })) }))(ledger.body)
      .entries.filter((e) => e.type === 'ReservationCommitted')
      .reduce((sum, e) => sum + (e.quantity ?? 0), 0);
    if (item !== undefined && committed === units) return item;
    if (Date.now() > deadline) throw new Error(`the ledger of ${sku} never showed ${units} sold (it shows ${committed})`);
    await new Promise((done) => setTimeout(done, 200));
  }
};

/** 90 days before the SKU existed (not sellable, nothing sold), then today. */
const historyWith = (todayDay: Omit<typeof DemandDay.Encoded, 'date'>): ReadonlyArray<typeof DemandDay.Encoded> => [
  ...Array.from({ length: 89 }, (_, i) => ({ date: addDays(today, i - 89), sold: 0, sellable: false, lostDemand: 0 })),
  { date: today, ...todayDay },
];

const expected = (input: Omit<typeof RestockInput.Encoded, 'location' | 'today'>) =>
  restockSuggestion(Schema.decodeSync(RestockInput)({ location: 'main', today, ...input }));

const withoutExtras = ({ signals: _signals, policy: { defaulted: _defaulted, ...rest }, ...item }: RestockSuggestionItem) => ({ ...item, policy: rest });

beforeAll(async () => {
  f = await makeSystemFixture();
  reader = await f.startApiInstance({}, { clock: () => endOfToday });
  const put = await f.api.put(`/v1/skus/${sold}`, { name: 'Sold jerky', replenishment: policy }, { key: f.keys.write });
  expect(put.status, put.text).toBe(201);
  expect(decodeBody(CatalogEntryAnswer, put).replenishment).toEqual(policy);
  expect((await f.api.put(`/v1/skus/${lotted}`, { name: 'Short-lived jerky' }, { key: f.keys.write })).status).toBe(201);
  const channel = await f.api.put('/v1/channels/wholesale', { name: 'Wholesale', minShelfLifeDays: 30, handlingDays: 2 }, { key: f.keys.write });
  expect(channel.status, channel.text).toBeLessThan(300);
  await f.seedStock(sold, 100);
  await f.seedStock(soldOut, 4);
  const restock = await f.send({
    _tag: 'Restock',
    commandId: CommandId.make(`demand-${nuid.next()}`),
    actor: Actor.make('service:api-test'),
    now: EpochMillis.make(Date.now()),
    sku: Sku.make(lotted),
    qty: Quantity.make(10),
    reference: Reference.make('po-demand'),
    location: LocationId.make('main'),
    lot: { code: shortLot.code, bestBefore: CalendarDate.make(shortLot.bestBefore), producedOn: CalendarDate.make(shortLot.producedOn) },
  });
  expect(restock._tag).toBe('Accepted');
  await holdAndCommit(sold, 5);
  await holdAndCommit(sold, 3);
  await holdAndCommit(soldOut, 4);
  await holdAndCommit(lotted, 2);
  await f.waitForStock(lotted, (v) => v.onHand === 8);
}, 120_000);
afterAll(async () => {
  await reader?.stop();
  await f?.cleanup();
});

describe('a SKU with sales today and a policy of its own', () => {
  it('counts the committed units as today’s sales and answers what the domain function answers', async () => {
    const item = await suggestionWhen(sold, 8);
    const want = expected({ sku: sold, days: historyWith({ sold: 8, sellable: true, lostDemand: 0 }), onHand: 92, reserved: 0, ...policy });
    expect(withoutExtras(item)).toEqual(want);
    expect(item.dailyDemand).toBeGreaterThan(0);
    expect(item.explain.daysUsed).toBe(1);
    expect(item.reorderPoint).toBe(want.reorderPoint);
    expect(item.policy).toMatchObject({ leadTimeDays: 7, serviceLevel: 0.9, reviewDays: 3, defaulted: false, shelfLifeDays: null });
    expect(['good', 'excess', 'order_now', 'critical']).toContain(item.status);
    expect(item.signals).toEqual({ pollVotes: 0, lostDemandUnits: 0, lostDemand: { units: 0, refusals: 0, days: 0 }, notifyWaiting: 0 });
  }, 60_000);
});

describe('a SKU sold out today', () => {
  it('leaves the day out of the velocity: no history, nothing sized, defaults applied', async () => {
    const item = await suggestionWhen(soldOut, 4);
    expect(withoutExtras(item)).toEqual(expected({ sku: soldOut, days: historyWith({ sold: 4, sellable: false, lostDemand: 0 }), onHand: 0, reserved: 0, leadTimeDays: 14, serviceLevel: 0.95 }));
    expect(item.explain.daysUsed).toBe(0);
    expect(item.status).toBe('no_history');
    expect(item.suggestedQuantity).toBe(0);
    expect(item.policy.defaulted).toBe(true);
  }, 60_000);
});

describe('a SKU whose latest lot is short-lived, with a channel registered', () => {
  it('caps the order to what sells within the shelf life left on the strictest channel', async () => {
    const item = await suggestionWhen(lotted, 2);
    // 45 days from production to best-before, less the channel's 30 + 2.
    const want = expected({ sku: lotted, days: historyWith({ sold: 2, sellable: true, lostDemand: 0 }), onHand: 8, reserved: 0, leadTimeDays: 14, serviceLevel: 0.95, shelfLifeDays: 13 });
    expect(withoutExtras(item)).toEqual(want);
    expect(item.policy.shelfLifeDays).toBe(13);
    expect(item.cappedBy).toBe('shelfLife');
    expect(item.suggestedQuantity).toBe(want.shelfLifeCap);
    expect(item.suggestedQuantity).toBeLessThan(item.uncappedQuantity);
  }, 60_000);
});

describe('the listing', () => {
  it('answers several SKUs asked at once, one item per SKU and location', async () => {
    await suggestionWhen(sold, 8);
    const body = await suggestions(`sku=${sold}&sku=${soldOut}&sku=${lotted}&location=main`);
    expect(body.today).toBe(today);
    expect(body.days).toBe(90);
    expect(body.items.map((i) => i.sku)).toEqual([sold, soldOut, lotted]);
    expect(body.nextCursor).toBeNull();
  }, 60_000);

  it('pages the catalogue by SKU when no SKU is asked', async () => {
    const first = await suggestions('limit=1&days=30');
    expect(first.items.map((i) => i.sku)).toEqual([[sold, lotted].sort()[0]]);
    expect(first.items[0]?.explain.historyDays).toBe(30);
    expect(first.nextCursor).not.toBeNull();
    const second = await suggestions(`limit=1&days=30&cursor=${first.nextCursor ?? ''}`);
    expect(second.items.map((i) => i.sku)).toEqual([[sold, lotted].sort()[1]]);
    expect(second.nextCursor).toBeNull();
  }, 60_000);

  it('refuses a history shorter than 7 days', async () => {
    expect(problemOf(await reader.get(`/v1/restock-suggestions?sku=${sold}&days=5`, { key: f.keys.read }))).toEqual(problem(400, 'invalid-request'));
  });
});
