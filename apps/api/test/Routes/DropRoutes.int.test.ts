// Drops over real HTTP against a real shard runner (DESIGN.md §10 "Drops"): an allocation is
// ring-fenced atomically across SKUs, a customer never holds more than the limit however many
// reservations and retries they fire, holds wait for `opensAt` to the millisecond, and the close
// returns exactly the unsold allocation. The runner SIGKILLed mid-drop loses nothing.
import { randomUUID } from 'node:crypto';
import { CommandId, CustomerId, DropId, EpochMillis, ReservationId, Sku, Actor, Quantity, TtlSeconds } from '@larder/domain';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, HeldBody, problem, problemOf } from '../Support/Bodies.js';
import type { ApiClient, HttpAnswer } from '../Support/HttpClient.js';
import { mapWithLimit } from '../Support/MapWithLimit.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

const DropSkuBody = Schema.Struct({
  sku: Schema.String,
  allocation: Schema.Int,
  limitPerCustomer: Schema.Int,
  held: Schema.Int,
  committed: Schema.Int,
  remaining: Schema.Int,
  returned: Schema.Int,
  soldOutAt: Schema.optional(Schema.String),
  buyers: Schema.Int,
  refusedCustomers: Schema.Int,
  refusedUnits: Schema.Int,
  version: Schema.Int,
  asOf: Schema.String,
});
const DropBody = Schema.Struct({
  dropId: Schema.String,
  name: Schema.String,
  state: Schema.Literal('scheduled', 'open', 'closed'),
  opensAt: Schema.String,
  closesAt: Schema.String,
  skus: Schema.Array(DropSkuBody),
  version: Schema.Int,
  asOf: Schema.String,
});
type DropBody = typeof DropBody.Type;
const DropList = Schema.Struct({ items: Schema.Array(Schema.Struct({ dropId: Schema.String })) });
const NotOpenBody = Schema.Struct({ opensAt: Schema.String });
const StockWithAllocation = Schema.Struct({ available: Schema.Int, onHand: Schema.Int, reserved: Schema.Int, allocated: Schema.Int, version: Schema.Int });

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture({ apiOverrides: { LARDER_ACTOR_DEADLINE_MS: '20000' } });
});
afterAll(async () => f?.cleanup());

const iso = (ms: number) => new Date(ms).toISOString();
const uniqueDrop = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

const putDrop = (dropId: string, skus: ReadonlyArray<{ sku: string; allocation: number; limitPerCustomer: number }>, times: { opensAt: number; closesAt: number }, api: ApiClient = f.api) =>
  api.put(`/v1/drops/${dropId}`, { name: `Drop ${dropId}`, opensAt: iso(times.opensAt), closesAt: iso(times.closesAt), skus });

const hold = (body: Record<string, unknown>, api: ApiClient = f.api, key: string = randomUUID()) =>
  api.post('/v1/reservations', body, { key: f.keys.reserve, idempotencyKey: key });

/** Polls GET /v1/drops/:id until `predicate` holds (figures are read from memory, a few ms behind a change). */
const waitForDrop = async (dropId: string, predicate: (d: DropBody) => boolean): Promise<DropBody> => {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    const answer = await f.api.get(`/v1/drops/${dropId}`);
    if (answer.status === 200) {
      const drop = decodeBody(DropBody, answer);
      if (predicate(drop)) return drop;
    }
    last = `${answer.status} ${answer.text}`;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`drop ${dropId} never satisfied the predicate; last answer: ${last}`);
};

const stockOf = async (sku: string) => decodeBody(StockWithAllocation, await f.api.get(`/v1/stock/${sku}`));
const figures = (d: DropBody, sku: string) => {
  const row = d.skus.find((s) => s.sku === sku);
  if (row === undefined) throw new Error(`${sku} is not in drop ${d.dropId}`);
  return row;
};

describe('defining a drop', () => {
  it('ring-fences each allocation from available stock (201), and a hold without the drop can no longer take those units', async () => {
    const sku = uniqueSku('DROP-ALLOC');
    await f.seedStock(sku, 100);
    const dropId = uniqueDrop('alloc');
    const created = await putDrop(dropId, [{ sku, allocation: 30, limitPerCustomer: 2 }], { opensAt: Date.now() + 60_000, closesAt: Date.now() + 120_000 });
    expect(created.status, created.text).toBe(201);
    expect(decodeBody(DropBody, created)).toMatchObject({ dropId, state: 'scheduled' });
    const view = await f.waitForStock(sku, (v) => v.available === 70);
    expect(view).toMatchObject({ onHand: 100, reserved: 0 });
    expect(await stockOf(sku)).toMatchObject({ allocated: 30 });
    const outside = await hold({ lines: [{ sku, qty: 71 }] });
    expect(problemOf(outside)).toEqual(problem(409, 'insufficient-stock'));
    expect((await hold({ lines: [{ sku, qty: 70 }] })).status).toBe(201);
  });

  it('takes nothing at all when one SKU lacks the stock (409 insufficient-stock naming it)', async () => {
    const plenty = uniqueSku('DROP-PLENTY');
    const scarce = uniqueSku('DROP-SCARCE');
    await f.seedStock(plenty, 50);
    await f.seedStock(scarce, 5);
    const dropId = uniqueDrop('atomic');
    const refused = await putDrop(dropId, [{ sku: plenty, allocation: 20, limitPerCustomer: 1 }, { sku: scarce, allocation: 10, limitPerCustomer: 1 }], {
      opensAt: Date.now() + 60_000,
      closesAt: Date.now() + 120_000,
    });
    expect(problemOf(refused)).toEqual(problem(409, 'insufficient-stock'));
    expect(refused.body).toMatchObject({ lines: [{ sku: scarce, requested: 10, available: 5 }] });
    // The plenty SKU's allocation was put back: all 50 available again, none ring-fenced.
    await f.waitForStock(plenty, (v) => v.available === 50);
    expect(await stockOf(plenty)).toMatchObject({ allocated: 0 });
    expect((await f.api.get(`/v1/drops/${dropId}`)).status).toBe(404);
  });

  it('lists drops, and refuses to lower an open drop’s allocation (409 drop-change-refused) but raises it', async () => {
    const sku = uniqueSku('DROP-EDIT');
    await f.seedStock(sku, 40);
    const dropId = uniqueDrop('edit');
    const times = { opensAt: Date.now() - 1_000, closesAt: Date.now() + 120_000 };
    expect((await putDrop(dropId, [{ sku, allocation: 10, limitPerCustomer: 2 }], times)).status).toBe(201);
    expect(problemOf(await putDrop(dropId, [{ sku, allocation: 5, limitPerCustomer: 2 }], times))).toEqual(problem(409, 'drop-change-refused'));
    const raised = await putDrop(dropId, [{ sku, allocation: 15, limitPerCustomer: 3 }], times);
    expect(raised.status, raised.text).toBe(200);
    await f.waitForStock(sku, (v) => v.available === 25);
    const list = await f.api.get('/v1/drops?state=open');
    expect(list.status).toBe(200);
    expect(decodeBody(DropList, list).items.map((d) => d.dropId)).toContain(dropId);
  });
});

describe('a drop with limit 2 on 100 units, open', () => {
  it('one customer firing 20 concurrent single-unit holds under 5 reservation ids gets exactly 2 held; the rest are limit-exceeded or conflicts', async () => {
    const sku = uniqueSku('DROP-LIMIT');
    await f.seedStock(sku, 100);
    const dropId = uniqueDrop('limit');
    expect((await putDrop(dropId, [{ sku, allocation: 100, limitPerCustomer: 2 }], { opensAt: Date.now() - 1_000, closesAt: Date.now() + 600_000 })).status).toBe(201);
    const ids = Array.from({ length: 5 }, (_, i) => `limit-${dropId}-${i}`);
    const answers = await mapWithLimit(Array.from({ length: 20 }, (_, i) => i), 20, (i) =>
      hold({ reservationId: ids[i % 5], dropId, customerId: 'cust-greedy', lines: [{ sku, qty: 1 }] }),
    );
    const heldIds = new Set(answers.filter((a) => a.status === 201).map((a) => decodeBody(HeldBody, a).reservationId));
    expect(heldIds.size).toBe(2);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect([problem(409, 'limit-exceeded').type, problem(409, 'reservation-conflict').type]).toContain(problemOf(a).type);
    }
    const drop = await waitForDrop(dropId, (d) => figures(d, sku).held === 2);
    expect(figures(drop, sku)).toMatchObject({ held: 2, committed: 0, remaining: 98, buyers: 1 });
  });

  it('a hold that expires gives the unit back to the customer: their next hold is held', async () => {
    const sku = uniqueSku('DROP-EXPIRE');
    await f.seedStock(sku, 100);
    const dropId = uniqueDrop('expire');
    expect((await putDrop(dropId, [{ sku, allocation: 100, limitPerCustomer: 2 }], { opensAt: Date.now() - 1_000, closesAt: Date.now() + 600_000 })).status).toBe(201);
    // One hold of 2 s, placed on the write path (the API's floor is 60 s), then one over HTTP: at the limit.
    const short = await f.send({
      _tag: 'ReserveStock',
      commandId: CommandId.make(`short-${randomUUID()}`),
      actor: Actor.make('service:api-test'),
      now: EpochMillis.make(Date.now()),
      sku: Sku.make(sku),
      reservationId: ReservationId.make(`short-${dropId}`),
      qty: Quantity.make(1),
      ttlSeconds: TtlSeconds.make(2),
      customerId: CustomerId.make('cust-patient'),
      dropId: DropId.make(dropId),
    });
    expect(short._tag).toBe('Accepted');
    const body = { dropId, customerId: 'cust-patient', lines: [{ sku, qty: 1 }] };
    expect((await hold(body)).status).toBe(201);
    expect(problemOf(await hold(body))).toEqual(problem(409, 'limit-exceeded'));
    // The actor expires the short hold by itself; the customer's count falls back to 1.
    await waitForDrop(dropId, (d) => figures(d, sku).held === 1);
    const again = await hold(body);
    expect(again.status, again.text).toBe(201);
  });
});

describe('opening time', () => {
  it('refuses holds before opensAt (409 drop-not-open) and holds from opensAt on, to the millisecond of the owner’s clock', async () => {
    const sku = uniqueSku('DROP-OPEN');
    await f.seedStock(sku, 1_000);
    const dropId = uniqueDrop('open');
    const opensAt = Date.now() + 2_000;
    expect((await putDrop(dropId, [{ sku, allocation: 1_000, limitPerCustomer: 1 }], { opensAt, closesAt: opensAt + 600_000 })).status).toBe(201);
    while (Date.now() < opensAt - 150) await new Promise((done) => setTimeout(done, 10));
    // One at a time, each its own customer, across the boundary: the owner decides them in order.
    const answers: Array<{ sentAt: number; answer: HttpAnswer }> = [];
    for (let i = 0; Date.now() < opensAt + 150; i++) {
      const sentAt = Date.now();
      answers.push({ sentAt, answer: await hold({ dropId, customerId: `cust-${i}`, lines: [{ sku, qty: 1 }], ttlSeconds: 600 }) });
    }
    const kinds = answers.map(({ answer }) => (answer.status === 201 ? 'held' : problemOf(answer).type === problem(409, 'drop-not-open').type ? 'not-open' : answer.text));
    const firstHeld = kinds.indexOf('held');
    expect(firstHeld).toBeGreaterThan(0);
    expect(kinds.slice(0, firstHeld).every((k) => k === 'not-open')).toBe(true);
    expect(kinds.slice(firstHeld).every((k) => k === 'held')).toBe(true);
    // The hold's time is the owner's decision: expiresAt − ttl. The first one held was decided at or after opensAt.
    const [lastRefused, firstAccepted] = [answers.at(firstHeld - 1), answers.at(firstHeld)];
    if (lastRefused === undefined || firstAccepted === undefined) throw new Error('no answer on each side of opensAt');
    const heldAt = Date.parse(decodeBody(HeldBody, firstAccepted.answer).expiresAt) - 600_000;
    expect(heldAt).toBeGreaterThanOrEqual(opensAt);
    // The last refusal answered before opensAt (by this machine's clock): the boundary is where it should be.
    expect(lastRefused.sentAt).toBeLessThan(opensAt);
    expect(decodeBody(NotOpenBody, lastRefused.answer).opensAt).toBe(iso(opensAt));
  });
});

describe('closing', () => {
  it('returns exactly the unsold allocation to general stock; open holds finish normally', async () => {
    const sku = uniqueSku('DROP-CLOSE');
    await f.seedStock(sku, 100);
    const dropId = uniqueDrop('close');
    expect((await putDrop(dropId, [{ sku, allocation: 10, limitPerCustomer: 5 }], { opensAt: Date.now() - 1_000, closesAt: Date.now() + 600_000 })).status).toBe(201);
    const one = decodeBody(HeldBody, await hold({ dropId, customerId: 'cust-a', lines: [{ sku, qty: 1 }] }));
    const two = decodeBody(HeldBody, await hold({ dropId, customerId: 'cust-b', lines: [{ sku, qty: 2 }] }));
    expect((await f.api.post(`/v1/reservations/${one.reservationId}/commit`, {}, { key: f.keys.reserve })).status).toBe(200);
    const before = await f.waitForStock(sku, (v) => v.onHand === 99 && v.reserved === 2);
    expect(before.available).toBe(90);
    const closed = await f.api.post(`/v1/drops/${dropId}/close`, {});
    expect(closed.status, closed.text).toBe(200);
    const after = await f.waitForStock(sku, (v) => v.version > before.version && v.available !== 90);
    // 10 allocated − 1 committed − 2 held = 7 unsold, back in one event.
    expect(after.available - before.available).toBe(7);
    const drop = await waitForDrop(dropId, (d) => d.state === 'closed' && figures(d, sku).returned === 7);
    expect(figures(drop, sku)).toMatchObject({ held: 2, committed: 1, remaining: 0, returned: 7 });
    // A hold after the close is refused; the hold still open commits normally.
    expect(problemOf(await hold({ dropId, customerId: 'cust-c', lines: [{ sku, qty: 1 }] }))).toEqual(problem(409, 'drop-closed'));
    expect((await f.api.post(`/v1/reservations/${two.reservationId}/commit`, {}, { key: f.keys.reserve })).status).toBe(200);
    await waitForDrop(dropId, (d) => figures(d, sku).committed === 3);
  });

  it('closes by itself at closesAt (the actor’s timer), without any request', async () => {
    const sku = uniqueSku('DROP-TIMER');
    await f.seedStock(sku, 20);
    const dropId = uniqueDrop('timer');
    expect((await putDrop(dropId, [{ sku, allocation: 8, limitPerCustomer: 2 }], { opensAt: Date.now() - 1_000, closesAt: Date.now() + 1_500 })).status).toBe(201);
    await f.waitForStock(sku, (v) => v.available === 12);
    await f.waitForStock(sku, (v) => v.available === 20);
    const drop = await waitForDrop(dropId, (d) => d.state === 'closed');
    expect(figures(drop, sku)).toMatchObject({ returned: 8, remaining: 0 });
  });
});

describe('lost demand after the sell-out', () => {
  it('counts each refused customer once however often they retry, and the units they asked for', async () => {
    const sku = uniqueSku('DROP-LOST');
    await f.seedStock(sku, 10);
    const dropId = uniqueDrop('lost');
    expect((await putDrop(dropId, [{ sku, allocation: 3, limitPerCustomer: 1 }], { opensAt: Date.now() - 1_000, closesAt: Date.now() + 600_000 })).status).toBe(201);
    for (const c of ['a', 'b', 'c']) expect((await hold({ dropId, customerId: `cust-${c}`, lines: [{ sku, qty: 1 }] })).status).toBe(201);
    for (const c of ['d', 'd', 'd', 'e']) expect(problemOf(await hold({ dropId, customerId: `cust-${c}`, lines: [{ sku, qty: 1 }] }))).toEqual(problem(409, 'insufficient-stock'));
    const drop = await waitForDrop(dropId, (d) => figures(d, sku).refusedCustomers === 2);
    expect(figures(drop, sku)).toMatchObject({ remaining: 0, buyers: 3, refusedCustomers: 2, refusedUnits: 2 });
    expect(figures(drop, sku).soldOutAt).toBeDefined();
  });
});

describe('the runner SIGKILLed in the middle of a drop', () => {
  it('keeps every customer within the limit, loses nothing, and answers the same figures after recovery', async () => {
    const sku = uniqueSku('DROP-CRASH');
    await f.seedStock(sku, 200);
    const dropId = uniqueDrop('crash');
    expect((await putDrop(dropId, [{ sku, allocation: 60, limitPerCustomer: 2 }], { opensAt: Date.now() - 1_000, closesAt: Date.now() + 600_000 })).status).toBe(201);
    // 40 customers, each firing 4 holds of one unit under their own keys; the runner dies midway.
    const attempts = Array.from({ length: 160 }, (_, i) => ({ customer: `cust-${i % 40}`, key: randomUUID() }));
    const answered = new Map<string, HttpAnswer>();
    let started = 0;
    let killed: Promise<void> | undefined;
    const first = await mapWithLimit(attempts, 16, async (a) => {
      if (++started === 60) killed = f.runner().kill('SIGKILL');
      const answer = await hold({ dropId, customerId: a.customer, lines: [{ sku, qty: 1 }] }, f.api, a.key);
      answered.set(a.key, answer);
      return answer;
    });
    await killed;
    await f.startRunner();
    // Whatever went unanswered (503) is retried with its key until it has a final answer.
    for (const a of attempts) {
      for (let tries = 0; (answered.get(a.key)?.status ?? 503) >= 500 && tries < 50; tries++) {
        answered.set(a.key, await hold({ dropId, customerId: a.customer, lines: [{ sku, qty: 1 }] }, f.api, a.key));
        if ((answered.get(a.key)?.status ?? 503) >= 500) await new Promise((done) => setTimeout(done, 200));
      }
    }
    expect(first.length).toBe(160);
    const perCustomer = new Map<string, number>();
    for (const a of attempts) {
      const answer = answered.get(a.key);
      expect(answer?.status, answer?.text).not.toBeGreaterThanOrEqual(500);
      if (answer === undefined) throw new Error(`no answer for ${a.key}`);
      if (answer.status === 201) perCustomer.set(a.customer, (perCustomer.get(a.customer) ?? 0) + 1);
      else expect([problem(409, 'limit-exceeded').type, problem(409, 'insufficient-stock').type]).toContain(problemOf(answer).type);
    }
    expect(Math.max(...perCustomer.values())).toBeLessThanOrEqual(2);
    const held = [...perCustomer.values()].reduce((a, b) => a + b, 0);
    // Every 40 customers reach their limit of 2: 80 wanted, 60 allocated → the allocation sells out.
    const drop = await waitForDrop(dropId, (d) => figures(d, sku).held === held);
    expect(held).toBeLessThanOrEqual(60);
    expect(figures(drop, sku)).toMatchObject({ held, remaining: 60 - held, buyers: perCustomer.size });
    const view = await f.waitForStock(sku, (v) => v.reserved === held);
    expect(view).toMatchObject({ onHand: 200, available: 140 });
  }, 120_000);
});
