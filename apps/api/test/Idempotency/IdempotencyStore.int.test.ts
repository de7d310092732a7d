// The Idempotency-Key contract of DESIGN.md §6 across two API instances sharing Redis: a retry gets
// the first answer (even a refusal) without a second effect, another body under the key is a 422, a
// concurrent twin is a 409 or the same answer (never two effects), and every POST needs a key.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, HeldBody, problem, problemOf } from '../Support/Bodies.js';
import type { HttpAnswer } from '../Support/HttpClient.js';
import { makeSystemFixture, uniqueSku, type ApiInstance, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
let b: ApiInstance;
beforeAll(async () => {
  f = await makeSystemFixture();
  b = await f.startApiInstance();
});
afterAll(async () => f?.cleanup());

const reservation = (sku: string, qty: number) => ({ lines: [{ sku, qty }] });

describe('a retry with the same key and body', () => {
  it('on the other instance gets the same status and body, marked idempotent-replayed, and holds once', async () => {
    const sku = uniqueSku('REPLAY');
    await f.seedStock(sku, 10);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservation(sku, 2), { idempotencyKey: key });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await b.post('/v1/reservations', reservation(sku, 2), { idempotencyKey: key });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // One more hold of 1: the view reaches reserved 3 only if the retry held nothing (else 2 → 4 → 5).
    expect((await f.api.post('/v1/reservations', reservation(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 3)).toMatchObject({ onHand: 10, reserved: 3 });
  });

  it('replays a refusal too: a 409 stays the answer to that key after stock arrives', async () => {
    const sku = uniqueSku('REPLAY-409');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservation(sku, 5), { idempotencyKey: key });
    expect(problemOf(first)).toEqual(problem(409, 'insufficient-stock'));
    await f.seedStock(sku, 10);
    const retry = await b.post('/v1/reservations', reservation(sku, 5), { idempotencyKey: key });
    expect(retry.status).toBe(409);
    expect(retry.body).toEqual(first.body);
    expect(retry.contentType).toBe(first.contentType);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('replays a 202 of an async command, and the restock is applied once', async () => {
    const sku = uniqueSku('REPLAY-202');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const body = { sku, qty: 5, reference: 'po-replay' };
    const first = await f.api.post('/v1/restocks', body, { idempotencyKey: key });
    expect(first.status, first.text).toBe(202);
    const retry = await b.post('/v1/restocks', body, { idempotencyKey: key });
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // A second restock of 7 with its own key: onHand reaches 13 only if the replay added nothing (else 6 → 11 → 18).
    expect((await f.api.post('/v1/restocks', { sku, qty: 7, reference: 'po-after' })).status).toBe(202);
    expect(await f.waitForStock(sku, (v) => v.onHand === 13)).toMatchObject({ onHand: 13 });
  });
});

/** The Redis records that mention this key (the idempotency record, and whatever else is keyed by it). */
const recordsOf = async (key: string) => {
  const found: Array<string> = [];
  for await (const batch of f.redis.scanStream({ match: `${f.redisPrefix}*${key}*`, count: 500 })) {
    if (Array.isArray(batch)) found.push(...batch.filter((k): k is string => typeof k === 'string'));
  }
  return found;
};

describe('how long an answer is kept', () => {
  it('for at least 24 h', async () => {
    const sku = uniqueSku('TTL');
    const key = randomUUID();
    expect((await f.api.post('/v1/restocks', { sku, qty: 1, reference: 'po-ttl' }, { idempotencyKey: key })).status).toBe(202);
    const records = await recordsOf(key);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(await f.redis.pttl(record)).toBeGreaterThan(24 * 60 * 60_000 - 60_000);
  });
});

describe('a retry whose idempotency record is gone (Redis lost it)', () => {
  // The key is also the command id (DESIGN.md §6): JetStream's Nats-Msg-Id and the actor's memory of
  // command ids still keep the retry from acting twice.
  it('a restock retried under the same key is applied once', async () => {
    const sku = uniqueSku('LOST-202');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const body = { sku, qty: 5, reference: 'po-lost' };
    expect((await f.api.post('/v1/restocks', body, { idempotencyKey: key })).status).toBe(202);
    await f.redis.del(...(await recordsOf(key)));
    const retry = await b.post('/v1/restocks', body, { idempotencyKey: key });
    expect(retry.status, retry.text).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    // 1 + 5 + 7 = 13 exactly only if the retry added nothing (else 18).
    expect((await f.api.post('/v1/restocks', { sku, qty: 7, reference: 'po-after' })).status).toBe(202);
    expect(await f.waitForStock(sku, (v) => v.onHand === 13)).toMatchObject({ onHand: 13 });
  });

  it('a hold retried under the same key is the same hold, held once', async () => {
    const sku = uniqueSku('LOST-201');
    await f.seedStock(sku, 10);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservation(sku, 2), { idempotencyKey: key });
    expect(first.status, first.text).toBe(201);
    await f.redis.del(...(await recordsOf(key)));
    const retry = await b.post('/v1/reservations', reservation(sku, 2), { idempotencyKey: key });
    expect(retry.status, retry.text).toBe(201);
    expect(decodeBody(HeldBody, retry).reservationId).toBe(decodeBody(HeldBody, first).reservationId);
    expect((await f.api.post('/v1/reservations', reservation(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 3)).toMatchObject({ onHand: 10, reserved: 3 });
  });
});

describe('the same key with another request', () => {
  it('another body → 422 idempotency-key-reused, on either instance', async () => {
    const sku = uniqueSku('MISMATCH');
    await f.seedStock(sku, 10);
    const key = randomUUID();
    expect((await f.api.post('/v1/reservations', reservation(sku, 1), { idempotencyKey: key })).status).toBe(201);
    expect(problemOf(await b.post('/v1/reservations', reservation(sku, 2), { idempotencyKey: key }))).toEqual(problem(422, 'idempotency-key-reused'));
    expect(problemOf(await f.api.post('/v1/reservations', reservation(sku, 2), { idempotencyKey: key }))).toEqual(
      problem(422, 'idempotency-key-reused'),
    );
    expect(problemOf(await f.api.post('/v1/restocks', { sku, qty: 1, reference: 'x' }, { idempotencyKey: key }))).toEqual(
      problem(422, 'idempotency-key-reused'),
    );
  });
});

describe('the same key while the first request is in flight', () => {
  it('of each pair fired at once on both instances, at most one executes: 409 idempotency-in-flight or the same answer', async () => {
    const sku = uniqueSku('INFLIGHT');
    await f.seedStock(sku, 100);
    const pairs = 20;
    const results = await Promise.all(
      Array.from({ length: pairs }, async () => {
        const key = randomUUID();
        const both = await Promise.all([
          f.api.post('/v1/reservations', reservation(sku, 1), { idempotencyKey: key }),
          b.post('/v1/reservations', reservation(sku, 1), { idempotencyKey: key }),
        ]);
        return both;
      }),
    );
    const executed = new Set<string>();
    for (const [x, y] of results) {
      const created = [x, y].filter((a) => a.status === 201);
      const others = [x, y].filter((a) => a.status !== 201);
      // Exactly one answer per pair is the hold; the other is its replay or an in-flight refusal.
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const other of others) expect(problemOf(other)).toEqual(problem(409, 'idempotency-in-flight'));
      if (created.length === 2) expect(created[0]?.body).toEqual(created[1]?.body);
      for (const c of created) executed.add(decodeBody(HeldBody, c).reservationId);
    }
    expect(executed.size).toBe(pairs);
    // 20 holds of one unit, plus one more: exactly 21 reserved means no pair held twice.
    expect((await f.api.post('/v1/reservations', reservation(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === pairs + 1)).toMatchObject({ reserved: pairs + 1 });
  });
});

describe('a POST without an Idempotency-Key', () => {
  const routes: ReadonlyArray<readonly [string, (sku: string) => unknown]> = [
    ['/v1/reservations', (sku) => reservation(sku, 1)],
    ['/v1/reservations/r-1/commit', () => ({})],
    ['/v1/reservations/r-1/release', () => ({})],
    ['/v1/orders', (sku) => ({ orderId: 'o-1', lines: [{ sku, qty: 1 }] })],
    ['/v1/restocks', (sku) => ({ sku, qty: 1, reference: 'po-1' })],
    ['/v1/adjustments', (sku) => ({ sku, delta: -1, reason: 'damaged', reference: 'adj-1' })],
    ['/v1/returns', (sku) => ({ sku, qty: 1, orderId: 'o-1', restockable: true, reference: 'rma-1' })],
  ];
  it.each(routes)('%s → 400 idempotency-key-required', async (path, body) => {
    const answer: HttpAnswer = await f.api.post(path, body('NO-KEY-1'), { idempotencyKey: null });
    expect(problemOf(answer)).toEqual(problem(400, 'idempotency-key-required'));
  });
});
