// When no shard owner answers (DESIGN.md §2): a hold is refused at once with 503 and Retry-After and
// its retry under the same key is safe; async commands are still taken (202), a commit is stored as
// pending, and both apply exactly once when the owner is back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, HeldBody, problem, problemOf, ReservationBody, StatusBody } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
let sku: string;
let reservationId: string;
const holdKey = randomUUID();
const commitKey = randomUUID();
beforeAll(async () => {
  f = await makeSystemFixture();
  sku = uniqueSku('OUTAGE');
  await f.seedStock(sku, 10);
  const hold = await f.api.post('/v1/reservations', { lines: [{ sku, qty: 3 }] }, { key: f.keys.reserve });
  reservationId = decodeBody(HeldBody, hold).reservationId;
  await f.waitForStock(sku, (v) => v.reserved === 3);
  await f.stopRunner();
});
afterAll(async () => f?.cleanup());

describe('while no runner owns the SKU', () => {
  it('a hold → 503 inventory-unavailable with Retry-After', async () => {
    const answer = await f.api.post('/v1/reservations', { lines: [{ sku, qty: 2 }] }, { key: f.keys.reserve, idempotencyKey: holdKey });
    expect(problemOf(answer)).toEqual(problem(503, 'inventory-unavailable'));
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(0);
  });

  it('a restock → 202: JetStream holds it for the owner', async () => {
    const answer = await f.api.post('/v1/restocks', { sku, qty: 5, reference: 'po-outage' }, { key: f.keys.write });
    expect(answer.status, answer.text).toBe(202);
  });

  it('a commit → 202 pending, its retry gets the same answer, and the hold shows the commit on its way', async () => {
    const path = `/v1/reservations/${reservationId}/commit`;
    const answer = await f.api.post(path, {}, { key: f.keys.reserve, idempotencyKey: commitKey });
    expect(answer.status, answer.text).toBe(202);
    expect(decodeBody(StatusBody, answer).status).toBe('pending');
    const retry = await f.api.post(path, {}, { key: f.keys.reserve, idempotencyKey: commitKey });
    expect([retry.status, retry.body]).toEqual([202, answer.body]);
    expect(['held', 'committed']).toContain(decodeBody(ReservationBody, await f.api.get(`/v1/reservations/${reservationId}`)).status);
  });
});

describe('once a runner owns it again', () => {
  it('the restock and the pending commit apply exactly once', async () => {
    await f.startRunner();
    // 10 + 5 restocked − 3 committed = 12, nothing reserved.
    expect(await f.waitForStock(sku, (v) => v.onHand === 12 && v.reserved === 0)).toMatchObject({ onHand: 12, reserved: 0, available: 12 });
  });

  it('a new commit of that reservation → 200 committed, and deducts nothing more', async () => {
    const answer = await f.api.post(`/v1/reservations/${reservationId}/commit`, {}, { key: f.keys.reserve });
    expect(answer.status, answer.text).toBe(200);
    expect(decodeBody(StatusBody, answer).status).toBe('committed');
    expect(decodeBody(ReservationBody, await f.api.get(`/v1/reservations/${reservationId}`)).status).toBe('committed');
  });

  it('the refused hold retried under the same key now holds (a 503 is not kept as the answer)', async () => {
    const answer = await f.api.post('/v1/reservations', { lines: [{ sku, qty: 2 }] }, { key: f.keys.reserve, idempotencyKey: holdKey });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.headers.get('idempotent-replayed')).toBeNull();
    // onHand still 12: neither commit deducted a second time.
    expect(await f.waitForStock(sku, (v) => v.reserved === 2)).toMatchObject({ onHand: 12, reserved: 2 });
  });
});
