// An API instance SIGKILLed while placing holds of several SKUs (ADR 0012, DESIGN.md §10): within 60 s
// no reservation is left partly held (the survivor's sweep releases abandoned ones), every 201 stands,
// and a retry on the survivor replays a 201, or answers an unanswered key once, never holding twice.
import { randomUUID } from 'node:crypto';
import { Actor, EpochMillis, Quantity, ReservationId, Sku, TtlSeconds, type ReserveStock } from '@larder/domain';
import { makeNames, makeRequestClient, Namespace, ProcessId, Shards, type Names, type RequestClient } from '@larder/messaging';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Effect, Either, Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/Idempotency/IdempotencyStore.js';
import { derivedId, derivedReservationId, keyDigestOf } from '../../src/Reservations/DerivedIds.js';
import { RequestRecord } from '../../src/Reservations/ReservationRecord.js';
import { decodeBody, HeldBody, ReservationBody, StockBody } from '../Support/Bodies.js';
import type { ApiClient, HttpAnswer } from '../Support/HttpClient.js';
import { mapWithLimit } from '../Support/MapWithLimit.js';
import { makeSystemFixture, SHARDS, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';
import { startChildApi, type ChildApi } from './ChildApi.js';
import { pollUntil, sleep } from './PrivateRedis.js';

const Sweep = { LARDER_ABANDON_HOLDS_AFTER_MS: '3000', LARDER_ABANDON_SWEEP_EVERY_MS: '1000' };
/** The principal of the fixture's reserve key (ApiKeys: `apikey:<name>`): derived ids are made from it. */
const ReserveActor = 'apikey:test-reserve';

let f: SystemFixture;
let child: ChildApi;
let nc: NatsConnection;
let records: KV;
let recordKey: (id: string) => string;
let placingKeys: string;
let names: Names;
let requests: RequestClient;
const skus: Array<string> = [];
beforeAll(async () => {
  // The in-process instance f.api is the survivor; it sweeps with the same settings as the child.
  f = await makeSystemFixture({ apiOverrides: Sweep });
  for (let i = 0; i < 5; i++) skus.push(uniqueSku(`KILL-${i}`));
  await Promise.all(skus.map((sku) => f.seedStock(sku, 10_000)));
  child = await startChildApi(f, Sweep);
  const { LARDER_NAMESPACE: ns = '', NATS_URL: natsUrl = '' } = f.serviceEnv;
  names = makeNames(Namespace.make(ns), { shards: Shards.make(SHARDS) });
  const processId = ProcessId.make(`kill-test-${randomUUID().slice(0, 8)}`);
  nc = await connect({ servers: natsUrl, inboxPrefix: names.inbox.prefix(processId) });
  requests = makeRequestClient(nc, names, { inboxPrefix: names.inbox.prefix(processId) });
  records = await new Kvm(nc).open(names.buckets.requests);
  // A derived reservation id is `r_<digest of caller and key>[-generation]`; its record is under the digest.
  recordKey = (id) => names.keys.request(/^r_([A-Za-z0-9_-]{22})/.exec(id)?.[1] ?? id);
  placingKeys = names.keys.placingAll;
}, 120_000);
afterAll(async () => {
  requests?.close();
  await child?.process.kill('SIGKILL');
  await nc?.close();
  await f?.cleanup();
});
type Line = { readonly sku: string; readonly qty: number };
interface Planned {
  readonly key: string;
  readonly lines: ReadonlyArray<Line>;
}
type Outcome = { readonly kind: 'answered'; readonly answer: HttpAnswer } | { readonly kind: 'lost' } | { readonly kind: 'unsent' };

/** 2 or 3 distinct SKUs of the five, 1–3 units each. */
const linesOf = (i: number): ReadonlyArray<Line> =>
  Array.from({ length: 2 + (i % 2) }, (_, j) => ({ sku: skus[(i + 2 * j) % skus.length] ?? '', qty: 1 + ((i + j) % 3) }));
const reserve = (api: ApiClient, p: Planned) => api.post('/v1/reservations', { lines: p.lines, ttlSeconds: 900 }, { key: f.keys.reserve, idempotencyKey: p.key });

/** The ReserveStock an API instance sends for one line of a reservation (same derived command id). */
const reserveOf = (reservationId: string, sku: string, qty: number): ReserveStock => {
  const id = ReservationId.make(reservationId);
  return {
    _tag: 'ReserveStock',
    commandId: derivedId(id, 'reserve', sku),
    actor: Actor.make(ReserveActor),
    now: EpochMillis.make(Date.now()),
    sku: Sku.make(sku),
    reservationId: id,
    qty: Quantity.make(qty),
    ttlSeconds: TtlSeconds.make(900),
  };
};

const decodeRecord = Schema.decodeUnknownSync(Schema.parseJson(RequestRecord));
/** The record's state in KV, or `none`. */
const stateOf = async (reservationId: string) => {
  const entry = await records.get(recordKey(reservationId));
  return entry === null || entry.operation !== 'PUT' ? 'none' : decodeRecord(entry.string()).state;
};
/** Whether the survivor answers the reservation as held (200) or unknown (404); anything else fails. */
const heldOnSurvivor = async (reservationId: string) => {
  const got = await f.api.get(`/v1/reservations/${reservationId}`);
  if (got.status === 404) return false;
  expect(got.status, got.text).toBe(200);
  expect(decodeBody(ReservationBody, got).status).toBe('held');
  return true;
};
const reservedNow = () =>
  Promise.all(skus.map(async (sku) => decodeBody(StockBody, await f.api.get(`/v1/stock/${encodeURIComponent(sku)}`)).reserved));
const sumOf = (holds: ReadonlyArray<ReadonlyArray<Line>>) => skus.map((sku) => holds.flat().reduce((n, l) => n + (l.sku === sku ? l.qty : 0), 0));

describe('an API instance SIGKILLed with multi-SKU holds in flight', () => {
  it('leaves no partial hold after 60 s, keeps every 201, and a retry on the survivor never holds twice', async () => {
    const plan: ReadonlyArray<Planned> = Array.from({ length: 200 }, (_, i) => ({ key: `kill-${i}-${randomUUID()}`, lines: linesOf(i) }));
    let sent = 0;
    let answered = 0;
    let inFlightAtKill = 0;
    let killed: Promise<void> | undefined;
    const outcomes = await mapWithLimit(plan, 50, async (p): Promise<Outcome> => {
      if (killed !== undefined) return { kind: 'unsent' };
      sent += 1;
      try {
        const answer = await reserve(child.client, p);
        answered += 1;
        if (answered === 20) {
          inFlightAtKill = sent - answered;
          killed = child.process.kill('SIGKILL');
        }
        return { kind: 'answered', answer };
      } catch {
        return { kind: 'lost' };
      }
    });
    await killed;
    const killedAt = Date.now();
    expect((await child.process.ended).signal).toBe('SIGKILL');

    const answeredHolds = plan.flatMap((p, i) => {
      const o = outcomes[i];
      return o?.kind === 'answered' ? [{ ...p, body: decodeBody(HeldBody, o.answer), raw: o.answer.body, status: o.answer.status }] : [];
    });
    expect(answeredHolds.map((h) => h.status)).toEqual(answeredHolds.map(() => 201));
    const lost = plan.filter((_, i) => outcomes[i]?.kind === 'lost').map((p) => ({ ...p, id: derivedReservationId(ReserveActor, p.key, 0) }));
    expect(inFlightAtKill).toBeGreaterThanOrEqual(30);
    expect(lost.length).toBeGreaterThan(0);

    // Every 201 is readable on the survivor, as it was answered.
    for (const h of answeredHolds) {
      const got = await f.api.get(`/v1/reservations/${h.body.reservationId}`, { key: f.keys.reserve });
      expect(got.status, got.text).toBe(200);
      expect(decodeBody(ReservationBody, got)).toMatchObject({ status: 'held', lines: h.lines });
    }

    // Within 60 s every SKU holds exactly the units of the reservations that stand in full: the 201s,
    // and any lost request whose record was written `held` before the kill (its answer was lost).
    let lostHeld: ReadonlyArray<boolean> = [];
    let expected: ReadonlyArray<number> = [];
    await pollUntil(
      'reserved per SKU = the units of reservations held in full',
      async () => {
        lostHeld = await Promise.all(lost.map((l) => heldOnSurvivor(l.id)));
        expected = sumOf([...answeredHolds.map((h) => h.lines), ...lost.filter((_, i) => lostHeld[i]).map((l) => l.lines)]);
        return { expected, reserved: await reservedNow() };
      },
      (v) => JSON.stringify(v.reserved) === JSON.stringify(v.expected),
      60_000,
      250,
    );
    const convergedMs = Date.now() - killedAt;
    const states = await Promise.all(lost.map((l) => stateOf(l.id)));
    const tally: Record<string, number> = {};
    for (const s of states) tally[s] = (tally[s] ?? 0) + 1;
    console.info(
      `sent ${sent}, answered ${answeredHolds.length}, in flight at the kill ${inFlightAtKill}, lost ${lost.length} (records: ${JSON.stringify(tally)}); converged ${convergedMs} ms after the kill`,
    );
    // Only the sweep moves a record to `abandoned` (whether a kill lands mid-way depends on timing; the
    // next test plants one for certain). `placing` is a record whose instance died before its marker
    // (and so before asking any owner).
    expect(states.every((s) => s === 'none' || s === 'placing' || s === 'abandoned' || s === 'held')).toBe(true);
    expect(states.filter((s) => s === 'held').length).toBe(lostHeld.filter(Boolean).length);
    const markers = async () => {
      const keys: Array<string> = [];
      for await (const key of await records.keys(placingKeys)) keys.push(key);
      return keys;
    };
    await pollUntil('no placing marker left', markers, (keys) => keys.length === 0, 10_000);

    // Retries on the survivor, same key and body: a 201 is replayed; a lost one gets one definite answer.
    for (const h of answeredHolds.slice(0, 5)) {
      const again = await reserve(f.api, h);
      expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([201, 'true', h.raw]);
    }
    const retried = lost.slice(0, 10);
    const fresh: Array<ReadonlyArray<Line>> = [];
    for (const [i, l] of retried.entries()) {
      const again = await reserve(f.api, l);
      expect([201, 409, 503], again.text).toContain(again.status);
      if (lostHeld[i] === true) {
        expect([again.status, again.headers.get('idempotent-replayed')], again.text).toEqual([201, 'true']);
        expect(decodeBody(HeldBody, again).reservationId).toBe(l.id);
      } else if (again.status === 201) {
        expect(again.headers.get('idempotent-replayed')).toBeNull();
        expect(await heldOnSurvivor(decodeBody(HeldBody, again).reservationId)).toBe(true);
        fresh.push(l.lines);
      }
    }
    const after = sumOf([expected.map((qty, i) => ({ sku: skus[i] ?? '', qty })), ...fresh]);
    await pollUntil('reserved after the retries', reservedNow, (r) => JSON.stringify(r) === JSON.stringify(after), 20_000);
    // Past another sweep window: nothing the retries held is swept, and nothing was held twice.
    await sleep(5_000);
    expect(await reservedNow()).toEqual(after);
  }, 150_000);

  it('releases a hold its dead instance left mid-way (planted: record placing, marker, one of two SKUs held), and a retry holds once', async () => {
    const [a = '', b = ''] = [uniqueSku('PLANT-A'), uniqueSku('PLANT-B')];
    await Promise.all([f.seedStock(a, 10), f.seedStock(b, 10)]);
    const key = randomUUID();
    const body = { lines: [{ sku: a, qty: 2 }, { sku: b, qty: 3 }], ttlSeconds: 900 };
    const digest = keyDigestOf(ReserveActor, key);
    const reservationId = derivedReservationId(ReserveActor, key, 0);
    // What an instance writes before asking the owners, then the one owner it reached before dying.
    const planted = {
      v: 2,
      kind: 'hold',
      reservationId,
      actor: ReserveActor,
      lines: body.lines,
      holds: body.lines,
      fingerprint: fingerprintOf('POST', '/v1/reservations', body),
      ttlSeconds: 900,
      receivedAt: Date.now(),
      state: 'placing',
    };
    await records.put(names.keys.request(digest), JSON.stringify(planted));
    await records.put(names.keys.placing(digest), '');
    const held = await Effect.runPromise(Effect.either(requests.send(reserveOf(reservationId, a, 2), Date.now() + 10_000)));
    expect(Either.isRight(held) && held.right._tag === 'Accepted', JSON.stringify(held)).toBe(true);
    expect((await f.waitForStock(a, (v) => v.reserved === 2)).reserved).toBe(2);

    // The sweep (abandon after 3 s, every 1 s) releases it: A back to 0, the record abandoned, no marker.
    await f.waitForStock(a, (v) => v.reserved === 0);
    expect(await stateOf(reservationId)).toBe('abandoned');
    expect(await records.get(names.keys.placing(digest)).then((e) => e?.operation ?? 'none')).not.toBe('PUT');
    expect(decodeBody(StockBody, await f.api.get(`/v1/stock/${b}`)).reserved).toBe(0);

    // The client's retry: the key moves to its next id, holds both lines once, and replays after that.
    const retry = await reserve(f.api, { key, lines: body.lines });
    expect(retry.status, retry.text).toBe(201);
    expect(decodeBody(HeldBody, retry).reservationId).toBe(derivedReservationId(ReserveActor, key, 1));
    const again = await reserve(f.api, { key, lines: body.lines });
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect((await f.waitForStock(a, (v) => v.reserved === 2)).reserved).toBe(2);
    expect((await f.waitForStock(b, (v) => v.reserved === 3)).reserved).toBe(3);
  }, 60_000);
});
