// Reservations over real HTTP against a real shard runner (DESIGN.md §5, §6): a flash sale never
// oversells, a multi-line hold is all or nothing, commit and release move the stock, and every API
// instance answers for a hold placed through another.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, HeldBody, problem, problemOf, ReservationBody, StatusBody } from '../Support/Bodies.js';
import type { HttpAnswer } from '../Support/HttpClient.js';
import { mapWithLimit } from '../Support/MapWithLimit.js';
import { makeSystemFixture, uniqueSku, type ApiInstance, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
let b: ApiInstance;
beforeAll(async () => {
  // A generous owner deadline: every one of the flash sale's holds must be answered, not timed out (503).
  f = await makeSystemFixture({ apiOverrides: { LARDER_ACTOR_DEADLINE_MS: '20000' } });
  b = await f.startApiInstance();
});
afterAll(async () => f?.cleanup());

const reserve = (lines: ReadonlyArray<{ sku: string; qty: number }>, extra: Record<string, unknown> = {}, api = f.api) =>
  api.post('/v1/reservations', { lines, ...extra }, { key: f.keys.reserve });
const held = (answer: HttpAnswer) => {
  expect(answer.status, answer.text).toBe(201);
  return decodeBody(HeldBody, answer);
};

describe('a flash sale: 2,000 single-unit holds on 500 units, 400 in flight at once', () => {
  it('holds exactly 500 (201), refuses the rest (409 insufficient-stock), and the view converges to reserved 500', async () => {
    const sku = uniqueSku('FLASH');
    await f.seedStock(sku, 500);
    // Half through each instance, both feeding the same owner; 400 in flight at any moment (200 per
    // instance, under Node's default listen backlog of 511 connections).
    const answers = await mapWithLimit(Array.from({ length: 2_000 }, (_, i) => i), 400, (i) => reserve([{ sku, qty: 1 }], {}, i % 2 === 0 ? f.api : b));
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ 201: 500, 409: 1_500 });
    const refusals = answers.filter((a) => a.status === 409).map(problemOf);
    expect(refusals.every((p) => p.type === problem(409, 'insufficient-stock').type && p.contentType === 'application/problem+json')).toBe(true);
    const ids = answers.filter((a) => a.status === 201).map((a) => decodeBody(HeldBody, a).reservationId);
    expect(new Set(ids).size).toBe(500);
    const view = await f.waitForStock(sku, (v) => v.reserved === 500);
    expect(view).toMatchObject({ onHand: 500, reserved: 500, available: 0 });
  }, 60_000);
});

describe('one hold', () => {
  it('201 answers the id, status held, an expiry in the future and the lines; GET on the other instance answers it', async () => {
    const sku = uniqueSku('HOLD');
    await f.seedStock(sku, 10);
    const before = Date.now();
    const body = held(await reserve([{ sku, qty: 3 }], { ttlSeconds: 600, orderId: 'order-1', customerId: 'customer-1' }));
    expect(body.lines).toEqual([{ sku, qty: 3 }]);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(before);
    expect(Date.parse(body.expiresAt)).toBeLessThanOrEqual(Date.now() + 600_000);
    const got = await b.get(`/v1/reservations/${body.reservationId}`);
    expect(got.status, got.text).toBe(200);
    expect(decodeBody(ReservationBody, got)).toMatchObject({ reservationId: body.reservationId, status: 'held', lines: [{ sku, qty: 3 }] });
    await f.waitForStock(sku, (v) => v.reserved === 3 && v.available === 7);
  });

  it('keeps a reservation id the client chose', async () => {
    const sku = uniqueSku('CHOSEN');
    await f.seedStock(sku, 2);
    const reservationId = `cart-${randomUUID()}`;
    expect(held(await reserve([{ sku, qty: 1 }], { reservationId })).reservationId).toBe(reservationId);
    expect((await b.get(`/v1/reservations/${reservationId}`)).status).toBe(200);
  });

  it('a client-chosen id already held with other terms → 409 reservation-conflict, and the first hold stands', async () => {
    const sku = uniqueSku('CONFLICT');
    await f.seedStock(sku, 10);
    const reservationId = `cart-${randomUUID()}`;
    held(await reserve([{ sku, qty: 2 }], { reservationId }));
    expect(problemOf(await reserve([{ sku, qty: 5 }], { reservationId }, b))).toEqual(problem(409, 'reservation-conflict'));
    expect(decodeBody(ReservationBody, await b.get(`/v1/reservations/${reservationId}`)).lines).toEqual([{ sku, qty: 2 }]);
    expect((await f.seedStock(sku, 1)).reserved).toBe(2);
  });

  it('an unknown reservation → 404 problem+json', async () => {
    expect(problemOf(await b.get(`/v1/reservations/nope-${randomUUID()}`))).toEqual(problem(404, 'not-found'));
  });

  it('more than is available → 409 insufficient-stock naming the line and how many are available', async () => {
    const sku = uniqueSku('SHORT');
    await f.seedStock(sku, 4);
    const answer = await reserve([{ sku, qty: 5 }]);
    expect(problemOf(answer)).toEqual(problem(409, 'insufficient-stock'));
    expect(answer.text).toContain(sku);
    expect(answer.body).toMatchObject({ lines: [{ sku, available: 4 }] });
  });
});

describe('a multi-line hold with one short line', () => {
  it('holds nothing: 409 names only the short line, and the other lines can be held in full right after', async () => {
    const [a, c, short] = [uniqueSku('MULTI-A'), uniqueSku('MULTI-B'), uniqueSku('MULTI-SHORT')];
    await Promise.all([f.seedStock(a, 10), f.seedStock(c, 10), f.seedStock(short, 1)]);
    const answer = await reserve([
      { sku: a, qty: 2 },
      { sku: c, qty: 3 },
      { sku: short, qty: 5 },
    ]);
    expect(problemOf(answer)).toEqual(problem(409, 'insufficient-stock'));
    expect(answer.body).toMatchObject({ lines: [{ sku: short, available: 1 }] });
    // Nothing of the refused hold is left: all 10 units of each other line can be held at once.
    const all = held(await reserve([{ sku: a, qty: 10 }, { sku: c, qty: 10 }]));
    expect(all.lines).toEqual([{ sku: a, qty: 10 }, { sku: c, qty: 10 }]);
    for (const sku of [a, c]) expect(await f.waitForStock(sku, (v) => v.reserved === 10)).toMatchObject({ onHand: 10, reserved: 10 });
    expect(await f.waitForStock(short, (v) => v.onHand === 1)).toMatchObject({ reserved: 0, available: 1 });
  });
});

describe('multi-line holds competing for the same stock', () => {
  it('30 concurrent holds of one unit of A (10) and one of B (30): exactly 10 hold, and the refused leave nothing held on B', async () => {
    const [a, c] = [uniqueSku('CONTEND-A'), uniqueSku('CONTEND-B')];
    await Promise.all([f.seedStock(a, 10), f.seedStock(c, 30)]);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => reserve([{ sku: a, qty: 1 }, { sku: c, qty: 1 }], {}, i % 2 === 0 ? f.api : b)),
    );
    expect(answers.map((x) => x.status).sort()).toEqual([...Array<number>(10).fill(201), ...Array<number>(20).fill(409)]);
    // A restock of 1 is the last event of each SKU: the view that shows it is the state after every hold and undo.
    const [lastA, lastB] = await Promise.all([f.seedStock(a, 1), f.seedStock(c, 1)]);
    expect(lastA).toMatchObject({ onHand: 11, reserved: 10 });
    expect(lastB).toMatchObject({ onHand: 31, reserved: 10 });
  });
});

describe('commit and release', () => {
  it('commit → 200 committed, and onHand drops by the held units', async () => {
    const sku = uniqueSku('COMMIT');
    await f.seedStock(sku, 10);
    const hold = held(await reserve([{ sku, qty: 3 }]));
    await f.waitForStock(sku, (v) => v.reserved === 3);
    const answer = await f.api.post(`/v1/reservations/${hold.reservationId}/commit`, {}, { key: f.keys.reserve });
    expect(answer.status, answer.text).toBe(200);
    expect(decodeBody(StatusBody, answer).status).toBe('committed');
    expect(await f.waitForStock(sku, (v) => v.onHand === 7)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    const got = decodeBody(ReservationBody, await b.get(`/v1/reservations/${hold.reservationId}`));
    expect(got.status).toBe('committed');
  });

  it('release → 200 released, and the units are available again', async () => {
    const sku = uniqueSku('RELEASE');
    await f.seedStock(sku, 10);
    const hold = held(await reserve([{ sku, qty: 4 }]));
    await f.waitForStock(sku, (v) => v.reserved === 4 && v.available === 6);
    const answer = await b.post(`/v1/reservations/${hold.reservationId}/release`, {}, { key: f.keys.reserve });
    expect(answer.status, answer.text).toBe(200);
    expect(decodeBody(StatusBody, answer).status).toBe('released');
    expect(await f.waitForStock(sku, (v) => v.reserved === 0)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const got = decodeBody(ReservationBody, await f.api.get(`/v1/reservations/${hold.reservationId}`));
    expect(got.status).toBe('released');
  });

  it('commit after release → 409 reservation-closed, and the stock stays as released', async () => {
    const sku = uniqueSku('LATE-COMMIT');
    await f.seedStock(sku, 5);
    const hold = held(await reserve([{ sku, qty: 2 }]));
    expect((await f.api.post(`/v1/reservations/${hold.reservationId}/release`, {}, { key: f.keys.reserve })).status).toBe(200);
    const answer = await b.post(`/v1/reservations/${hold.reservationId}/commit`, {}, { key: f.keys.reserve });
    expect(problemOf(answer)).toEqual(problem(409, 'reservation-closed'));
    // A later hold of every unit proves the released units were not deducted.
    held(await reserve([{ sku, qty: 5 }]));
    expect(await f.waitForStock(sku, (v) => v.reserved === 5)).toMatchObject({ onHand: 5, reserved: 5 });
  });

  it('release twice → 200 both times; commit after it → 409; release after a commit → 409', async () => {
    const sku = uniqueSku('TWICE');
    await f.seedStock(sku, 5);
    const first = held(await reserve([{ sku, qty: 1 }]));
    for (const api of [f.api, b]) {
      const answer = await api.post(`/v1/reservations/${first.reservationId}/release`, {}, { key: f.keys.reserve });
      expect([answer.status, decodeBody(StatusBody, answer).status]).toEqual([200, 'released']);
    }
    const second = held(await reserve([{ sku, qty: 1 }]));
    expect((await f.api.post(`/v1/reservations/${second.reservationId}/commit`, {}, { key: f.keys.reserve })).status).toBe(200);
    const late = await b.post(`/v1/reservations/${second.reservationId}/release`, {}, { key: f.keys.reserve });
    expect(problemOf(late)).toEqual(problem(409, 'reservation-closed'));
    expect(await f.waitForStock(sku, (v) => v.onHand === 4)).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it('commit or release of an unknown reservation → 404', async () => {
    const id = `nope-${randomUUID()}`;
    expect(problemOf(await f.api.post(`/v1/reservations/${id}/commit`, {}, { key: f.keys.reserve }))).toEqual(problem(404, 'not-found'));
    expect(problemOf(await f.api.post(`/v1/reservations/${id}/release`, {}, { key: f.keys.reserve }))).toEqual(problem(404, 'not-found'));
  });
});

describe('whose hold it is', () => {
  it('another checkout client gets 404 reading, committing or releasing it, and the hold stands; stock:read may read it, admin may release it', async () => {
    const sku = uniqueSku('OWNED');
    await f.seedStock(sku, 5);
    const hold = held(await reserve([{ sku, qty: 2 }]));
    const path = `/v1/reservations/${hold.reservationId}`;
    const other = { key: f.keys.otherReserve };
    expect(problemOf(await f.api.get(path, other))).toEqual(problem(404, 'not-found'));
    expect(problemOf(await f.api.post(`${path}/commit`, {}, other))).toEqual(problem(404, 'not-found'));
    expect(problemOf(await b.post(`${path}/release`, {}, other))).toEqual(problem(404, 'not-found'));

    const owner = await f.api.get(path, { key: f.keys.reserve });
    expect(owner.status, owner.text).toBe(200);
    expect(decodeBody(ReservationBody, owner).status).toBe('held');
    const reader = await b.get(path, { key: f.keys.read });
    expect(reader.status, reader.text).toBe(200);
    expect(decodeBody(ReservationBody, reader).status).toBe('held');

    const released = await f.api.post(`${path}/release`, {}, { key: f.keys.admin });
    expect(released.status, released.text).toBe(200);
    expect(decodeBody(StatusBody, released).status).toBe('released');
  });
});

describe('scopes', () => {
  it('a stock:read key cannot hold, commit or release (403 naming stock:reserve)', async () => {
    for (const path of ['/v1/reservations', '/v1/reservations/any/commit', '/v1/reservations/any/release']) {
      const answer = await f.api.post(path, { lines: [{ sku: 'ANY', qty: 1 }] }, { key: f.keys.read });
      expect(problemOf(answer)).toEqual(problem(403, 'forbidden'));
      expect(answer.body).toMatchObject({ requiredScope: 'stock:reserve' });
    }
  });
});
