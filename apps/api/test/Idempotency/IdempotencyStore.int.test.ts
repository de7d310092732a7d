// The Idempotency-Key contract of DESIGN.md §6 across two API instances sharing the replicated NATS KV
// records (holds: `<ns>_reservations`; other POSTs: `<ns>_idempotency`): a retry gets the first answer
// without a second effect, even with Redis emptied; another body is a 422; a twin in flight a 409.
import { randomUUID } from 'node:crypto';
import { makeNames, Namespace, Shards, type Names } from '@larder/messaging';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/Idempotency/IdempotencyStore.js';
import { keyDigestOf } from '../../src/Reservations/DerivedIds.js';
import { decodeBody, HeldBody, problem, problemOf } from '../Support/Bodies.js';
import type { HttpAnswer } from '../Support/HttpClient.js';
import { makeSystemFixture, SHARDS, uniqueSku, type ApiInstance, type SystemFixture } from '../Support/SystemFixture.js';
import { emptyRedis, expectReplayOf, reservationBody, restockBody } from '../Support/Replays.js';

const DayMs = 24 * 60 * 60_000;
/** The principal of the fixture's default (admin) API key: idempotency records are scoped by it. */
const AdminActor = 'apikey:test-admin';

let f: SystemFixture;
let b: ApiInstance;
let nc: NatsConnection;
let names: Names;
let requestsKv: KV;
beforeAll(async () => {
  f = await makeSystemFixture();
  b = await f.startApiInstance();
  names = makeNames(Namespace.make(f.serviceEnv['LARDER_NAMESPACE'] ?? ''), { shards: Shards.make(SHARDS) });
  nc = await connect({ servers: f.serviceEnv['NATS_URL'] ?? '' });
  requestsKv = await new Kvm(nc).open(names.buckets.requests);
});
afterAll(async () => {
  await nc?.close();
  await f?.cleanup();
});



describe('a retry with the same key and body', () => {
  it('on the other instance gets the same status and body, marked idempotent-replayed, and holds once', async () => {
    const sku = uniqueSku('REPLAY');
    await f.seedStock(sku, 10);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservationBody(sku, 2), { idempotencyKey: key });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expectReplayOf(await b.post('/v1/reservations', reservationBody(sku, 2), { idempotencyKey: key }), first);
    // One more hold of 1: the view reaches reserved 3 only if the retry held nothing (else 2 → 4 → 5).
    expect((await f.api.post('/v1/reservations', reservationBody(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 3)).toMatchObject({ onHand: 10, reserved: 3 });
  });

  it('replays a refusal too: a 409 stays the answer to that key after stock arrives, and nothing is held', async () => {
    const sku = uniqueSku('REPLAY-409');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservationBody(sku, 5), { idempotencyKey: key });
    expect(problemOf(first)).toEqual(problem(409, 'insufficient-stock'));
    await f.seedStock(sku, 10);
    expectReplayOf(await b.post('/v1/reservations', reservationBody(sku, 5), { idempotencyKey: key }), first);
    expect((await f.api.post('/v1/reservations', reservationBody(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 1)).toMatchObject({ onHand: 11, reserved: 1 });
  });

  it('replays a 202 of an async command, and the restock is applied once', async () => {
    const sku = uniqueSku('REPLAY-202');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const first = await f.api.post('/v1/restocks', restockBody(sku, 5, 'po-replay'), { idempotencyKey: key });
    expect(first.status, first.text).toBe(202);
    expectReplayOf(await b.post('/v1/restocks', restockBody(sku, 5, 'po-replay'), { idempotencyKey: key }), first);
    // A second restock of 7 with its own key: onHand reaches 13 only if the replay added nothing (else 6 → 11 → 18).
    expect((await f.api.post('/v1/restocks', restockBody(sku, 7, 'po-after'))).status).toBe(202);
    expect(await f.waitForStock(sku, (v) => v.onHand === 13)).toMatchObject({ onHand: 13 });
  });
});

describe('how long an answer is kept', () => {
  it('for at least 24 h: both buckets keep a record that long, and the answers are in them', async () => {
    const jsm = await jetstreamManager(nc);
    const bucket = names.buckets.requests;
    expect((await requestsKv.status()).ttl, bucket).toBeGreaterThanOrEqual(DayMs);
    expect((await jsm.streams.info(names.kv.stream(bucket))).config.max_age, bucket).toBeGreaterThanOrEqual(DayMs * 1_000_000);
    const sku = uniqueSku('TTL');
    await f.seedStock(sku, 5);
    const restockKey = randomUUID();
    expect((await f.api.post('/v1/restocks', restockBody(sku, 1, 'po-ttl'), { idempotencyKey: restockKey })).status).toBe(202);
    const answer = await requestsKv.get(names.keys.request(keyDigestOf(AdminActor, restockKey)));
    expect(JSON.parse(answer?.string() ?? 'null')).toMatchObject({ state: 'done', status: 202 });
    const holdKey = randomUUID();
    const hold = decodeBody(HeldBody, await f.api.post('/v1/reservations', reservationBody(sku, 1), { idempotencyKey: holdKey }));
    const record = await requestsKv.get(names.keys.request(keyDigestOf(AdminActor, holdKey)));
    expect(JSON.parse(record?.string() ?? 'null')).toMatchObject({ reservationId: hold.reservationId, state: 'held' });
  });
});

describe('Redis emptied (the API keeps no record there)', () => {
  it('a restock retried under the same key is still replayed from KV, and applied once', async () => {
    const sku = uniqueSku('REDIS-202');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const first = await f.api.post('/v1/restocks', restockBody(sku, 5, 'po-lost'), { idempotencyKey: key });
    expect(first.status, first.text).toBe(202);
    await emptyRedis(f, sku);
    expectReplayOf(await b.post('/v1/restocks', restockBody(sku, 5, 'po-lost'), { idempotencyKey: key }), first);
    // 1 + 5 + 7 = 13 exactly only if the retry added nothing (else 18).
    expect((await f.api.post('/v1/restocks', restockBody(sku, 7, 'po-after'))).status).toBe(202);
    expect(await f.waitForStock(sku, (v) => v.onHand === 13)).toMatchObject({ onHand: 13 });
  });

  it('a hold retried under the same key is still replayed from KV: the same hold, held once', async () => {
    const sku = uniqueSku('REDIS-201');
    await f.seedStock(sku, 10);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservationBody(sku, 2), { idempotencyKey: key });
    expect(first.status, first.text).toBe(201);
    await emptyRedis(f, sku);
    expectReplayOf(await b.post('/v1/reservations', reservationBody(sku, 2), { idempotencyKey: key }), first);
    expect((await f.api.post('/v1/reservations', reservationBody(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 3)).toMatchObject({ onHand: 10, reserved: 3 });
  });
});

describe('a KV claim whose request never finished (its instance died)', () => {
  /** Writes the claim a dead instance would have left for this key and body, `ageMs` ago. */
  const leaveClaim = async (key: string, body: unknown, ageMs: number) => {
    const record = { v: 2, kind: 'answer', state: 'in_flight', fingerprint: fingerprintOf('POST', '/v1/restocks', body), since: Date.now() - ageMs };
    await requestsKv.put(names.keys.request(keyDigestOf(AdminActor, key)), JSON.stringify(record));
  };

  it('is taken over by a retry once 2 minutes old: 202, applied once, then replayed', async () => {
    const sku = uniqueSku('STALE-CLAIM');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    await leaveClaim(key, restockBody(sku, 5, 'po-stale'), 2 * 60_000);
    const retry = await b.post('/v1/restocks', restockBody(sku, 5, 'po-stale'), { idempotencyKey: key });
    expect(retry.status, retry.text).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expectReplayOf(await f.api.post('/v1/restocks', restockBody(sku, 5, 'po-stale'), { idempotencyKey: key }), retry);
    expect((await f.api.post('/v1/restocks', restockBody(sku, 7, 'po-after'))).status).toBe(202);
    expect(await f.waitForStock(sku, (v) => v.onHand === 13)).toMatchObject({ onHand: 13 });
  });

  it('a fresh one still blocks the key: 409 idempotency-in-flight, nothing applied, the claim left alone', async () => {
    const sku = uniqueSku('FRESH-CLAIM');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    await leaveClaim(key, restockBody(sku, 5, 'po-fresh'), 0);
    expect(problemOf(await b.post('/v1/restocks', restockBody(sku, 5, 'po-fresh'), { idempotencyKey: key }))).toEqual(problem(409, 'idempotency-in-flight'));
    const claim = await requestsKv.get(names.keys.request(keyDigestOf(AdminActor, key)));
    expect(JSON.parse(claim?.string() ?? 'null')).toMatchObject({ state: 'in_flight' });
    expect((await f.api.post('/v1/restocks', restockBody(sku, 7, 'po-after'))).status).toBe(202);
    expect(await f.waitForStock(sku, (v) => v.onHand === 8)).toMatchObject({ onHand: 8 });
  });
});

describe('the same key with another request → 422 idempotency-key-reused', () => {
  it('another body for the same route, on either instance (holds and restocks)', async () => {
    const sku = uniqueSku('MISMATCH');
    await f.seedStock(sku, 10);
    const holdKey = randomUUID();
    expect((await f.api.post('/v1/reservations', reservationBody(sku, 1), { idempotencyKey: holdKey })).status).toBe(201);
    for (const api of [b, f.api]) {
      expect(problemOf(await api.post('/v1/reservations', reservationBody(sku, 2), { idempotencyKey: holdKey }))).toEqual(problem(422, 'idempotency-key-reused'));
    }
    const restockKey = randomUUID();
    expect((await f.api.post('/v1/restocks', restockBody(sku, 1, 'x'), { idempotencyKey: restockKey })).status).toBe(202);
    for (const api of [b, f.api]) {
      expect(problemOf(await api.post('/v1/restocks', restockBody(sku, 2, 'x'), { idempotencyKey: restockKey }))).toEqual(problem(422, 'idempotency-key-reused'));
    }
  });

  // DESIGN.md §6 scopes a key by caller, not by route (the fingerprint holds the URL); holds keep theirs apart (ADR 0012).
  it.each([
    ["a hold's key reused for a restock", ['/v1/reservations', 201], ['/v1/restocks', 202]],
    ["a restock's key reused for a hold", ['/v1/restocks', 202], ['/v1/reservations', 201]],
  ] as const)('another route: %s', async (_, [firstPath, firstStatus], [thenPath]) => {
    const sku = uniqueSku('MISMATCH-ROUTE');
    await f.seedStock(sku, 10);
    const key = randomUUID();
    const body = (path: string) => (path === '/v1/restocks' ? restockBody(sku, 1, 'x') : reservationBody(sku, 1));
    expect((await f.api.post(firstPath, body(firstPath), { idempotencyKey: key })).status).toBe(firstStatus);
    expect(problemOf(await b.post(thenPath, body(thenPath), { idempotencyKey: key }))).toEqual(problem(422, 'idempotency-key-reused'));
  });
});

describe('the same key while the first request is in flight', () => {
  /** Each key fired at once on both instances: 409 idempotency-in-flight or the same answer, never two effects. */
  const twins = async (post: (api: ApiInstance, key: string) => Promise<HttpAnswer>, ok: number, pairs: number) => {
    const results = await Promise.all(Array.from({ length: pairs }, async () => {
      const key = randomUUID();
      return Promise.all([post(f.api, key), post(b, key)]);
    }));
    for (const pair of results) {
      const done = pair.filter((a) => a.status === ok);
      expect(done.length, pair.map((a) => a.text).join('\n')).toBeGreaterThanOrEqual(1);
      for (const other of pair.filter((a) => a.status !== ok)) expect(problemOf(other)).toEqual(problem(409, 'idempotency-in-flight'));
      if (done.length === 2) expect(done[0]?.body).toEqual(done[1]?.body);
    }
    return results;
  };

  it('holds: 20 pairs hold 20 units', async () => {
    const sku = uniqueSku('INFLIGHT');
    await f.seedStock(sku, 100);
    const results = await twins((api, key) => api.post('/v1/reservations', reservationBody(sku, 1), { idempotencyKey: key }), 201, 20);
    const ids = new Set(results.flatMap((pair) => pair.filter((a) => a.status === 201).map((a) => decodeBody(HeldBody, a).reservationId)));
    expect(ids.size).toBe(20);
    // 20 holds of one unit, plus one more: exactly 21 reserved means no pair held twice.
    expect((await f.api.post('/v1/reservations', reservationBody(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 21)).toMatchObject({ reserved: 21 });
  });

  it('restocks (the KV claim decides): 20 pairs add 20 units', async () => {
    const sku = uniqueSku('INFLIGHT-202');
    await f.seedStock(sku, 1);
    await twins((api, key) => api.post('/v1/restocks', restockBody(sku, 1, key), { idempotencyKey: key }), 202, 20);
    expect((await f.api.post('/v1/restocks', restockBody(sku, 100, 'po-after'))).status).toBe(202);
    expect(await f.waitForStock(sku, (v) => v.onHand === 121)).toMatchObject({ onHand: 121 });
  });
});

describe('a POST without an Idempotency-Key', () => {
  const routes: ReadonlyArray<readonly [string, (sku: string) => unknown]> = [
    ['/v1/reservations', (sku) => reservationBody(sku, 1)],
    ['/v1/reservations/r-1/commit', () => ({})],
    ['/v1/reservations/r-1/release', () => ({})],
    ['/v1/orders', (sku) => ({ orderId: 'o-1', lines: [{ sku, qty: 1 }] })],
    ['/v1/restocks', (sku) => restockBody(sku, 1, 'po-1')],
    ['/v1/adjustments', (sku) => ({ sku, delta: -1, reason: 'damaged', reference: 'adj-1' })],
    ['/v1/returns', (sku) => ({ sku, qty: 1, orderId: 'o-1', restockable: true, reference: 'rma-1' })],
  ];
  it.each(routes)('%s → 400 idempotency-key-required', async (path, body) => {
    const answer: HttpAnswer = await f.api.post(path, body('NO-KEY-1'), { idempotencyKey: null });
    expect(problemOf(answer)).toEqual(problem(400, 'idempotency-key-required'));
  });
});
