// Redis faults under the sales API, the runner mirroring to a private redis-server: a flush, a stop and a
// kill mid-flash-sale never touch holds, commits, releases, replays or readiness (records are in NATS
// KV), and once Redis is back the mirror converges to the KV view of every SKU written since.
import { randomUUID } from 'node:crypto';
import { freePort, startRedisServer, type RedisServerProcess } from '@larder/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, HeldBody, ReservationBody, StatusBody, StockBody } from '../Support/Bodies.js';
import type { ApiClient, HttpAnswer } from '../Support/HttpClient.js';
import { mapWithLimit } from '../Support/MapWithLimit.js';
import { makeSystemFixture, uniqueSku, type ApiInstance, type SystemFixture } from '../Support/SystemFixture.js';
import { mirrorOf, pollUntil, readMirror, withRedis } from './PrivateRedis.js';

let f: SystemFixture;
let b: ApiInstance;
let port: number;
let redis: RedisServerProcess;
beforeAll(async () => {
  port = await freePort();
  redis = await startRedisServer(port);
  // A generous owner deadline: the flash sale's holds must all be answered, never timed out (503).
  f = await makeSystemFixture({ env: { REDIS_URL: redis.url }, apiOverrides: { LARDER_ACTOR_DEADLINE_MS: '20000' } });
  b = await f.startApiInstance();
}, 90_000);
afterAll(async () => {
  // The runner first, while its Redis may still answer its last flush; then the private Redis, by pid.
  await f?.cleanup();
  await redis?.stop();
});

const reserve = (api: ApiClient, lines: ReadonlyArray<{ sku: string; qty: number }>, idempotencyKey: string = randomUUID()) =>
  api.post('/v1/reservations', { lines, ttlSeconds: 900 }, { key: f.keys.reserve, idempotencyKey });
const held = (answer: HttpAnswer) => {
  expect(answer.status, answer.text).toBe(201);
  return decodeBody(HeldBody, answer);
};
const act = (api: ApiClient, id: string, what: 'commit' | 'release', idempotencyKey: string = randomUUID()) =>
  api.post(`/v1/reservations/${id}/${what}`, {}, { key: f.keys.reserve, idempotencyKey });
const stockOf = async (sku: string) => decodeBody(StockBody, await f.api.get(`/v1/stock/${encodeURIComponent(sku)}`));

/** Polls until the private Redis holds exactly the API's (KV) view of `sku`: same seq and levels. */
const mirrorConverges = async (sku: string, view: StockBody, timeoutMs = 30_000) => {
  const started = Date.now();
  const mirrored = await pollUntil(`mirror of ${sku}`, () => readMirror(redis.url, f.redisPrefix, sku), (m) => m?.seq === view.version, timeoutMs);
  expect(mirrored).toEqual(mirrorOf(view));
  return Date.now() - started;
};

describe('Redis flushed between a hold and its commit', () => {
  it('the hold is still readable elsewhere and commits; the commit re-projects the flushed SKU', async () => {
    const sku = uniqueSku('FLUSH');
    await f.seedStock(sku, 10);
    const hold = held(await reserve(f.api, [{ sku, qty: 2 }]));
    const reservedView = await f.waitForStock(sku, (v) => v.reserved === 2);
    await mirrorConverges(sku, reservedView, 10_000);

    expect(await withRedis(redis.url, (r) => r.flushall())).toBe('OK');
    expect(await readMirror(redis.url, f.redisPrefix, sku)).toBeUndefined();

    const got = await b.get(`/v1/reservations/${hold.reservationId}`, { key: f.keys.reserve });
    expect(got.status, got.text).toBe(200);
    expect(decodeBody(ReservationBody, got)).toMatchObject({ reservationId: hold.reservationId, status: 'held', lines: [{ sku, qty: 2 }] });
    const commit = await act(b, hold.reservationId, 'commit');
    expect(commit.status, commit.text).toBe(200);
    expect(decodeBody(StatusBody, commit).status).toBe('committed');
    const after = await f.waitForStock(sku, (v) => v.onHand === 8 && v.reserved === 0);
    expect(after).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
    await mirrorConverges(sku, after, 15_000);
  }, 60_000);
});

describe('Redis stopped', () => {
  it('holds, commits, releases, reads, replays and readiness go on; restarted empty, the mirror converges', async () => {
    const [one, two] = [uniqueSku('DOWN-A'), uniqueSku('DOWN-B')];
    await Promise.all([f.seedStock(one, 20), f.seedStock(two, 20)]);
    await redis.kill();
    expect(redis.running()).toBe(false);
    await expect(readMirror(redis.url, f.redisPrefix, one)).rejects.toThrow();

    const key = randomUUID();
    const first = await reserve(f.api, [{ sku: one, qty: 3 }, { sku: two, qty: 1 }], key);
    const toCommit = held(first);
    const toRelease = held(await reserve(b, [{ sku: one, qty: 2 }]));
    const kept = held(await reserve(b, [{ sku: two, qty: 4 }]));

    const replay = await reserve(b, [{ sku: one, qty: 3 }, { sku: two, qty: 1 }], key);
    expect(replay.status, replay.text).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);

    const commitKey = randomUUID();
    const commit = await act(b, toCommit.reservationId, 'commit', commitKey);
    expect([commit.status, decodeBody(StatusBody, commit).status]).toEqual([200, 'committed']);
    const commitReplay = await act(f.api, toCommit.reservationId, 'commit', commitKey);
    expect([commitReplay.status, commitReplay.headers.get('idempotent-replayed'), commitReplay.body]).toEqual([200, 'true', commit.body]);
    const release = await act(f.api, toRelease.reservationId, 'release');
    expect([release.status, decodeBody(StatusBody, release).status]).toEqual([200, 'released']);

    const statuses = await Promise.all(
      [toCommit, toRelease, kept].map(async (h) => decodeBody(ReservationBody, await f.api.get(`/v1/reservations/${h.reservationId}`)).status),
    );
    expect(statuses).toEqual(['committed', 'released', 'held']);
    for (const api of [f.api, b]) {
      const ready = await api.get('/readyz');
      expect(ready.status, ready.text).toBe(200);
      expect(ready.text).not.toMatch(/redis/i);
      expect(ready.body).toEqual({ status: 'ready', checks: { nats: true, stockProjection: true } });
    }
    // 20 − 3 committed; 4 held on `two` after its 1 was committed.
    const viewOne = await f.waitForStock(one, (v) => v.onHand === 17 && v.reserved === 0, b);
    const viewTwo = await f.waitForStock(two, (v) => v.onHand === 19 && v.reserved === 4, b);
    expect(viewOne.available).toBe(17);
    expect(viewTwo.available).toBe(15);

    // Back on the same port, empty: no new write to these SKUs; the runner's mirror lane kept them dirty.
    redis = await startRedisServer(port);
    const tookMs = [await mirrorConverges(one, viewOne), await mirrorConverges(two, viewTwo)];
    console.info(`mirror converged after the restart in ${tookMs.join(' ms, ')} ms (no new writes)`);
    expect((await stockOf(one)).version).toBe(viewOne.version);
  }, 90_000);
});

describe('a flash sale through two API instances while Redis is killed and restarted empty', () => {
  it('exactly 300 of 600 holds (201), every one readable and committable, and the mirror converges', async () => {
    const sku = uniqueSku('FLASH-REDIS');
    const seeded = await f.seedStock(sku, 300);
    await mirrorConverges(sku, seeded, 10_000);

    let answered = 0;
    let outage: Promise<void> | undefined;
    let back: Promise<RedisServerProcess> | undefined;
    const answers = await mapWithLimit(Array.from({ length: 600 }, (_, i) => i), 100, async (i) => {
      const answer = await reserve(i % 2 === 0 ? f.api : b, [{ sku, qty: 1 }]);
      answered += 1;
      if (answered === 150) outage = redis.kill();
      if (answered === 450) back = (outage ?? Promise.resolve()).then(() => startRedisServer(port));
      return answer;
    });
    expect(outage).toBeDefined();
    redis = await (back ?? Promise.reject(new Error('Redis was never restarted')));

    const counts: Record<number, number> = {};
    for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
    expect(counts).toEqual({ 201: 300, 409: 300 });
    const holds = answers.filter((a) => a.status === 201).map((a) => decodeBody(HeldBody, a));
    expect(new Set(holds.map((h) => h.reservationId)).size).toBe(300);

    const reads = await mapWithLimit(holds, 50, async (h, i) => (i % 2 === 0 ? f.api : b).get(`/v1/reservations/${h.reservationId}`, { key: f.keys.reserve }));
    expect(reads.map((r) => [r.status, decodeBody(ReservationBody, r).status])).toEqual(holds.map(() => [200, 'held']));

    const sample = holds.filter((_, i) => i % 3 === 0);
    expect(sample.length).toBeGreaterThanOrEqual(100);
    const commits = await mapWithLimit(sample, 50, (h, i) => act(i % 2 === 0 ? b : f.api, h.reservationId, 'commit'));
    expect(commits.map((c) => c.status)).toEqual(sample.map(() => 200));

    const final = await f.waitForStock(sku, (v) => v.onHand === 300 - sample.length && v.reserved === 300 - sample.length);
    expect(final.available).toBe(0);
    await mirrorConverges(sku, final);
  }, 120_000);
});
