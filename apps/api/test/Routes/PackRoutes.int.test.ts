// Variety packs and locations over real HTTP against a real shard runner (DESIGN.md §10 "Packs",
// "Locations"): a pack line holds its components, demand is summed per component across every line
// before any owner decides (the defect of medusajs/medusa#16502 cannot happen), every component is held
// or none is, a pack's availability is computed from its components, and a line without a location is
// held at the highest-priority location that can fill it.
import { nuid } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import type { HttpAnswer } from '../Support/HttpClient.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture({ apiOverrides: { LARDER_ACTOR_DEADLINE_MS: '20000' } });
});
afterAll(async () => f?.cleanup());

const ComponentHold = Schema.Struct({ sku: Schema.String, qty: Schema.Int, location: Schema.optional(Schema.String) });
const PackHeldBody = Schema.Struct({
  reservationId: Schema.String,
  status: Schema.Literal('held'),
  lines: Schema.Array(Schema.Struct({ sku: Schema.String, qty: Schema.Int, kind: Schema.Literal('sku', 'pack'), holds: Schema.Array(ComponentHold) })),
});
const Levels = Schema.Struct({ location: Schema.String, onHand: Schema.Int, reserved: Schema.Int, available: Schema.Int });
const StockView = Schema.Struct({
  sku: Schema.String,
  kind: Schema.Literal('sku', 'pack'),
  available: Schema.Int,
  onHand: Schema.Int,
  reserved: Schema.Int,
  version: Schema.Int,
  locations: Schema.Array(Levels),
  components: Schema.optional(Schema.Array(Schema.Struct({ sku: Schema.String, qty: Schema.Int, available: Schema.Int, version: Schema.Int }))),
});
type StockView = typeof StockView.Type;
const ShortBody = Schema.Struct({ type: Schema.String, lines: Schema.Array(Schema.Struct({ sku: Schema.String, requested: Schema.Int, available: Schema.Int })) });

const reserve = (lines: ReadonlyArray<{ sku: string; qty: number; location?: string }>) => f.api.post('/v1/reservations', { lines }, { key: f.keys.reserve });
const held = (answer: HttpAnswer) => {
  expect(answer.status, answer.text).toBe(201);
  return decodeBody(PackHeldBody, answer);
};
const putPack = async (pack: string, components: ReadonlyArray<readonly [string, number]>) => {
  const answer = await f.api.put(`/v1/skus/${pack}`, { name: `pack ${pack}`, components: components.map(([sku, qty]) => ({ sku, qty })) });
  expect([200, 201], answer.text).toContain(answer.status);
  return answer;
};
/** The stock answer once `predicate` holds (a pack's view follows its components' within milliseconds). */
const stockWhen = async (sku: string, predicate: (view: StockView) => boolean): Promise<StockView> => {
  const deadline = Date.now() + 20_000;
  let last = 'nothing yet';
  while (Date.now() < deadline) {
    const answer = await f.api.get(`/v1/stock/${sku}`);
    if (answer.status === 200) {
      const view = decodeBody(StockView, answer);
      if (predicate(view)) return view;
    }
    last = `${answer.status} ${answer.text}`;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`the stock of ${sku} never satisfied the predicate; last answer: ${last}`);
};

const flavours = () => ({ original: uniqueSku('ORIGINAL'), teriyaki: uniqueSku('TERIYAKI'), ghost: uniqueSku('GHOST') });

describe('given the medusa#16502 cart: an Original 5-pack and a variety pack, sharing Original', () => {
  it('with 5 Original it is refused whole, nothing stays held; with 6 it is held and Original reaches 0, never below', async () => {
    const { original, teriyaki, ghost } = flavours();
    const fivePack = uniqueSku('ORIGINAL-5PK');
    const variety = uniqueSku('VARIETY-3X50G');
    for (const sku of [original, teriyaki, ghost]) await f.seedStock(sku, 5);
    await putPack(fivePack, [[original, 5]]);
    await putPack(variety, [[original, 1], [teriyaki, 1], [ghost, 1]]);
    const cart = [
      { sku: fivePack, qty: 1 },
      { sku: variety, qty: 1 },
    ];

    const refused = await reserve(cart);
    expect(problemOf(refused)).toEqual(problem(409, 'insufficient-stock'));
    expect(decodeBody(ShortBody, refused).lines).toEqual([{ sku: original, requested: 6, available: 5 }]);
    // Nothing left held anywhere: teriyaki and ghost pepper, which had stock, are back to 5 available.
    for (const sku of [original, teriyaki, ghost]) expect(await stockWhen(sku, (v) => v.reserved === 0)).toMatchObject({ available: 5, reserved: 0 });
    // The seed is a barrier: a hold released late would show here.
    expect(await f.seedStock(original, 1)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });

    const body = held(await reserve(cart));
    expect(body.lines).toEqual([
      { sku: fivePack, qty: 1, kind: 'pack', holds: [{ sku: original, qty: 5, location: 'main' }] },
      {
        sku: variety,
        qty: 1,
        kind: 'pack',
        holds: [
          { sku: original, qty: 1, location: 'main' },
          { sku: teriyaki, qty: 1, location: 'main' },
          { sku: ghost, qty: 1, location: 'main' },
        ],
      },
    ]);
    expect(await stockWhen(original, (v) => v.reserved === 6)).toMatchObject({ onHand: 6, reserved: 6, available: 0 });
    const commit = await f.api.post(`/v1/reservations/${body.reservationId}/commit`, {}, { key: f.keys.reserve });
    expect(commit.status, commit.text).toBe(200);
    expect(await stockWhen(original, (v) => v.onHand === 0)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    expect(await stockWhen(teriyaki, (v) => v.onHand === 4)).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
  }, 60_000);
});

describe('a pack’s availability', () => {
  it('is min floor(available ÷ qty) over its components, kind "pack", and follows every component change', async () => {
    const { original, teriyaki, ghost } = flavours();
    const variety = uniqueSku('VARIETY');
    await f.seedStock(original, 7);
    await f.seedStock(teriyaki, 3);
    await f.seedStock(ghost, 12);
    await putPack(variety, [[original, 1], [teriyaki, 1], [ghost, 2]]);
    const first = await stockWhen(variety, (v) => v.available === 3);
    expect(first).toMatchObject({ kind: 'pack', available: 3, reserved: 0 });
    expect(first.components).toEqual([
      { sku: original, qty: 1, available: 7, version: expect.any(Number) },
      { sku: teriyaki, qty: 1, available: 3, version: expect.any(Number) },
      { sku: ghost, qty: 2, available: 12, version: expect.any(Number) },
    ]);
    // The catalogue entry says what it is made of.
    const entry = await f.api.get(`/v1/skus/${variety}`);
    expect(decodeBody(Schema.Struct({ kind: Schema.String, components: Schema.Array(Schema.Struct({ sku: Schema.String, qty: Schema.Int })) }), entry)).toEqual({
      kind: 'pack',
      components: [
        { sku: original, qty: 1 },
        { sku: teriyaki, qty: 1 },
        { sku: ghost, qty: 2 },
      ],
    });
    // A single of teriyaki sold moves the pack: 2 left.
    held(await reserve([{ sku: teriyaki, qty: 1 }]));
    expect((await stockWhen(variety, (v) => v.available === 2)).available).toBe(2);
    // Ghost pepper down to 3 makes it 1 (floor(3 ÷ 2)).
    held(await reserve([{ sku: ghost, qty: 9 }]));
    expect((await stockWhen(variety, (v) => v.available === 1)).available).toBe(1);
    // The batch read answers the pack beside its components.
    const batch = await f.api.get(`/v1/stock?sku=${variety}&sku=${original}`);
    expect(batch.status).toBe(200);
    const items = decodeBody(Schema.Struct({ items: Schema.Array(StockView) }), batch).items;
    expect(items.map((i) => [i.sku, i.kind, i.available])).toEqual([
      [variety, 'pack', 1],
      [original, 'sku', 7],
    ]);
  }, 60_000);
});

describe('two clients racing for the last unit of a shared component, one through a pack, one through the single', () => {
  it('exactly one of them is held, in each of 10 rounds, and the component never goes below zero', async () => {
    for (let round = 0; round < 10; round++) {
      const { original, teriyaki } = flavours();
      const pack = uniqueSku('DUO');
      await f.seedStock(original, 1);
      await f.seedStock(teriyaki, 1);
      await putPack(pack, [[original, 1], [teriyaki, 1]]);
      const [viaPack, viaSingle] = await Promise.all([reserve([{ sku: pack, qty: 1 }]), reserve([{ sku: original, qty: 1 }])]);
      const statuses = [viaPack.status, viaSingle.status].sort();
      expect(statuses, `round ${round}: ${viaPack.text} / ${viaSingle.text}`).toEqual([201, 409]);
      const view = await f.seedStock(original, 1);
      expect(view.reserved).toBe(1);
      expect(view.onHand).toBe(2);
      // The pack's other component is held only when the pack won.
      const teri = await f.seedStock(teriyaki, 1);
      expect(teri.reserved).toBe(viaPack.status === 201 ? 1 : 0);
    }
  }, 120_000);
});

describe('a pack in the catalogue and in orders', () => {
  it('refuses stock changes to a pack, a recipe that cannot stand, and a SKU with stock of its own becoming a pack', async () => {
    const { original, teriyaki } = flavours();
    const pack = uniqueSku('PACK');
    await putPack(pack, [[original, 2]]);
    expect(problemOf(await f.api.post('/v1/restocks', { sku: pack, qty: 5, reference: 'PO-1' }))).toEqual(problem(409, 'sku-is-a-pack'));
    expect(problemOf(await f.api.put(`/v1/skus/${uniqueSku('SELF')}`, { name: 'x', components: [] }))).toEqual(problem(422, 'invalid-pack'));
    expect(problemOf(await f.api.put(`/v1/skus/${uniqueSku('NESTED')}`, { name: 'x', components: [{ sku: pack, qty: 1 }] }))).toEqual(problem(422, 'invalid-pack'));
    expect(problemOf(await f.api.put(`/v1/skus/${pack}`, { name: 'x', safetyStock: 2 }))).toEqual(problem(422, 'invalid-pack'));
    await f.seedStock(teriyaki, 3);
    expect(problemOf(await f.api.put(`/v1/skus/${teriyaki}`, { name: 'x', components: [{ sku: original, qty: 1 }] }))).toEqual(problem(409, 'pack-has-stock'));
    const entry = await f.api.get(`/v1/skus/${pack}`);
    expect(entry.status, entry.text).toBe(200);
  });

  it('an order of 2 packs deducts 2 × each component, summed with a single of the same component', async () => {
    const { original, teriyaki } = flavours();
    const pack = uniqueSku('PACK');
    await f.seedStock(original, 10);
    await f.seedStock(teriyaki, 10);
    await putPack(pack, [[original, 2], [teriyaki, 1]]);
    const order = await f.api.post('/v1/orders', { orderId: `order-${nuid.next()}`, lines: [{ sku: pack, qty: 2 }, { sku: original, qty: 1 }] });
    expect(order.status, order.text).toBe(202);
    expect((await stockWhen(original, (v) => v.onHand === 5)).onHand).toBe(5);
    expect((await stockWhen(teriyaki, (v) => v.onHand === 8)).onHand).toBe(8);
  });

  it('refuses lines that ask one component at two locations (422 invalid-lines), holding nothing', async () => {
    const { original } = flavours();
    const pack = uniqueSku('PACK');
    await f.seedStock(original, 10);
    await putPack(pack, [[original, 1]]);
    const answer = await reserve([
      { sku: pack, qty: 1, location: 'main' },
      { sku: original, qty: 1 },
    ]);
    expect(problemOf(answer)).toEqual(problem(422, 'invalid-lines'));
    expect((await f.seedStock(original, 1)).reserved).toBe(0);
  });
});

describe('locations', () => {
  it('a line without a location is held where the stock is (only at 3pl); a line naming main is refused; totals are the sum of locations', async () => {
    const registered = await f.api.put('/v1/locations/3pl', { name: 'Third-party warehouse', priority: 1 });
    expect([200, 201]).toContain(registered.status);
    expect((await f.api.put('/v1/locations/main', { name: 'Own storeroom', priority: 10 })).status).toBeLessThan(300);
    const sku = uniqueSku('TPL-ONLY');
    await f.seedStock(sku, 8, '3pl');
    const body = held(await reserve([{ sku, qty: 5 }]));
    expect(body.lines[0]?.holds).toEqual([{ sku, qty: 5, location: '3pl' }]);
    expect(problemOf(await reserve([{ sku, qty: 1, location: 'main' }]))).toEqual(problem(409, 'insufficient-stock'));
    const view = await stockWhen(sku, (v) => v.reserved === 5);
    expect(view.locations.map((l) => [l.location, l.onHand, l.reserved, l.available])).toEqual([['3pl', 8, 5, 3]]);
    const listed = await f.api.get('/v1/locations');
    expect(decodeBody(Schema.Struct({ items: Schema.Array(Schema.Struct({ id: Schema.String, priority: Schema.Int })) }), listed).items.map((l) => l.id)).toEqual(['main', '3pl']);
  });

  it('prefers the higher priority that can fill the whole line, and never splits a line', async () => {
    const sku = uniqueSku('TWO-SITES');
    await f.seedStock(sku, 4, 'main');
    await f.seedStock(sku, 10, '3pl');
    // main (priority 10) has 4: a line of 3 goes there, a line of 6 goes whole to 3pl, a line of 11 fits nowhere.
    expect(held(await reserve([{ sku, qty: 3 }])).lines[0]?.holds[0]?.location).toBe('main');
    expect(held(await reserve([{ sku, qty: 6 }])).lines[0]?.holds[0]?.location).toBe('3pl');
    const refused = await reserve([{ sku, qty: 11 }]);
    expect(problemOf(refused)).toEqual(problem(409, 'insufficient-stock'));
    const view = await stockWhen(sku, (v) => v.reserved === 9);
    expect(view.onHand).toBe(view.locations.reduce((sum, l) => sum + l.onHand, 0));
    expect(view.available).toBe(view.locations.reduce((sum, l) => sum + l.available, 0));
    expect(view.locations.map((l) => [l.location, l.reserved])).toEqual([
      ['3pl', 6],
      ['main', 3],
    ]);
  });
});
