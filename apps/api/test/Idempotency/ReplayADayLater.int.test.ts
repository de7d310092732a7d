// A retry a day later (DESIGN.md §6: answers are kept 24 h), on an instance whose injectable clock is
// 24 h + 1 min ahead, with this file's Redis keys all deleted: the same status and body from the NATS
// KV records, marked idempotent-replayed, and no second effect — for held, committed and refused holds and a restock.
import { randomUUID } from 'node:crypto';
import { Sku } from '@larder/domain';
import { makeNames, Namespace, Shards } from '@larder/messaging';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, HeldBody, problem, problemOf, StatusBody } from '../Support/Bodies.js';
import type { HttpAnswer } from '../Support/HttpClient.js';
import { makeSystemFixture, SHARDS, uniqueSku, type ApiInstance, type SystemFixture } from '../Support/SystemFixture.js';
import { emptyRedis, expectReplayOf, reservationBody, restockBody } from '../Support/Replays.js';

const ADayAndAMinuteMs = 24 * 60 * 60_000 + 60_000;

let f: SystemFixture;
let later: ApiInstance;
let nc: NatsConnection;
beforeAll(async () => {
  f = await makeSystemFixture();
  later = await f.startApiInstance({}, { clock: () => Date.now() + ADayAndAMinuteMs });
  nc = await connect({ servers: f.serviceEnv['NATS_URL'] ?? '' });
});
afterAll(async () => {
  await nc?.close();
  await f?.cleanup();
});

/** How many journal messages the SKU's owner has appended (its subject's count in INV_EVT). */
const journalled = async (sku: string) => {
  const names = makeNames(Namespace.make(f.serviceEnv['LARDER_NAMESPACE'] ?? ''), { shards: Shards.make(SHARDS) });
  const subject = names.journal.subject(Sku.make(sku));
  const info = await (await jetstreamManager(nc)).streams.info(names.journal.stream, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
};



/** The retry on the day-later instance, after Redis lost everything: the first answer, replayed. */
const replayADayLater = async (path: string, body: unknown, key: string, first: HttpAnswer, sku: string) => {
  await emptyRedis(f, sku);
  const retry = await later.post(path, body, { idempotencyKey: key });
  expectReplayOf(retry, first);
  return retry;
};

describe('a hold retried a day later with the same key and body', () => {
  it('still held: the same 201, and one hold', async () => {
    const sku = uniqueSku('DAY-HELD');
    await f.seedStock(sku, 10);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservationBody(sku, 2), { idempotencyKey: key });
    expect(first.status, first.text).toBe(201);
    await replayADayLater('/v1/reservations', reservationBody(sku, 2), key, first, sku);
    // One more hold of 1: reserved reaches 3 only if the retry held nothing (else 2 → 4 → 5).
    expect((await f.api.post('/v1/reservations', reservationBody(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 3)).toMatchObject({ onHand: 10, reserved: 3 });
  });

  it('committed since: the same 201, nothing held again, the commit applied once', async () => {
    const sku = uniqueSku('DAY-COMMITTED');
    await f.seedStock(sku, 10);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservationBody(sku, 2), { idempotencyKey: key });
    const hold = decodeBody(HeldBody, first);
    const commit = await f.api.post(`/v1/reservations/${hold.reservationId}/commit`, {});
    expect(commit.status, commit.text).toBe(200);
    expect(decodeBody(StatusBody, commit).status).toBe('committed');
    await f.waitForStock(sku, (v) => v.onHand === 8 && v.reserved === 0);
    await replayADayLater('/v1/reservations', reservationBody(sku, 2), key, first, sku);
    // One more hold of 1: exactly onHand 8, reserved 1 means the retry neither held nor deducted again.
    expect((await f.api.post('/v1/reservations', reservationBody(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 1)).toMatchObject({ onHand: 8, reserved: 1 });
    const read = await later.get(`/v1/reservations/${hold.reservationId}`);
    expect(read.status, read.text).toBe(200);
    expect(decodeBody(StatusBody, read).status).toBe('committed');
  });

  it('refused (409 insufficient-stock), then restocked: the same 409 a day later, and nothing held', async () => {
    const sku = uniqueSku('DAY-REFUSED');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservationBody(sku, 5), { idempotencyKey: key });
    expect(problemOf(first)).toEqual(problem(409, 'insufficient-stock'));
    await f.seedStock(sku, 10);
    await replayADayLater('/v1/reservations', reservationBody(sku, 5), key, first, sku);
    // One more hold of 1: reserved 1 exactly means the replay left nothing held.
    expect((await f.api.post('/v1/reservations', reservationBody(sku, 1))).status).toBe(201);
    expect(await f.waitForStock(sku, (v) => v.reserved === 1)).toMatchObject({ onHand: 11, reserved: 1 });
  });

  it('refused, then restocked: the replay places no hold even for a moment (the journal gains nothing)', async () => {
    const sku = uniqueSku('DAY-REFUSED-TRACE');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const first = await f.api.post('/v1/reservations', reservationBody(sku, 5), { idempotencyKey: key });
    expect(problemOf(first)).toEqual(problem(409, 'insufficient-stock'));
    await f.seedStock(sku, 10);
    const before = await journalled(sku);
    await replayADayLater('/v1/reservations', reservationBody(sku, 5), key, first, sku);
    // Else a StockReserved of 5 and its compensating release: other buyers saw 5 fewer units meanwhile.
    expect(await journalled(sku)).toBe(before);
  });
});

describe('a restock retried a day later with the same key and body', () => {
  it('the same 202, and the restock applied once', async () => {
    const sku = uniqueSku('DAY-RESTOCK');
    await f.seedStock(sku, 1);
    const key = randomUUID();
    const first = await f.api.post('/v1/restocks', restockBody(sku, 5, 'po-day'), { idempotencyKey: key });
    expect(first.status, first.text).toBe(202);
    await f.waitForStock(sku, (v) => v.onHand === 6);
    await replayADayLater('/v1/restocks', restockBody(sku, 5, 'po-day'), key, first, sku);
    // A second restock of 7 with its own key: onHand 13 exactly only if the replay added nothing (else 18).
    expect((await f.api.post('/v1/restocks', restockBody(sku, 7, 'po-after'))).status).toBe(202);
    expect(await f.waitForStock(sku, (v) => v.onHand === 13)).toMatchObject({ onHand: 13 });
  });
});
