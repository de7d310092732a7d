// A recall trace over real HTTP against a real runner and ledger (DESIGN.md §10 "Quarantine and recall"):
// lots received at two locations, taken by HTTP holds and commits, an order, a hold on another channel,
// then a return and an adjustment; traced by lot, by best-before and by production range, the lines are
// exactly what was committed and every lot's mass balance closes; CSV has a header and a row per line;
// a mock recall is listed among the drills; a selector that is not exactly one is a 400.
import {
  Actor,
  CalendarDate,
  ChannelId,
  CommandId,
  CustomerId,
  DefaultTtlSeconds,
  Delta,
  EpochMillis,
  LocationId,
  LotCode,
  OrderId,
  Quantity,
  Reference,
  ReservationId,
  Sku,
  TtlSeconds,
  type Command,
  type LotInfo,
} from '@larder/domain';
import { nuid } from '@nats-io/transport-node';
import { parse } from 'csv-parse/sync';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecallDrillsAnswer } from '../../src/Routes/RecallRoutes.js';
import { RecallTraceAnswer } from '../../src/Recalls/RecallTrace.js';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

type Trace = typeof RecallTraceAnswer.Type;

let f: SystemFixture;
const started = Date.now();
const a = uniqueSku('RECALL-ORIG');
const b = uniqueSku('RECALL-TERI');
const L1: LotInfo = { code: LotCode.make('L1-0901'), bestBefore: CalendarDate.make('2027-03-01'), producedOn: CalendarDate.make('2026-09-01'), establishment: 'EST. 12345' };
const L2: LotInfo = { code: LotCode.make('L2-1001'), bestBefore: CalendarDate.make('2027-06-01'), producedOn: CalendarDate.make('2026-10-01') };
const B1: LotInfo = { code: LotCode.make('B1-0915'), bestBefore: CalendarDate.make('2027-03-15'), producedOn: CalendarDate.make('2026-09-15') };
const run = nuid.next().slice(-6);
const ids = { r1: `rc-r1-${run}`, r2: `rc-r2-${run}`, r3: `rc-r3-${run}`, o1: `rc-o1-${run}`, o3: `rc-o3-${run}`, o4: `rc-o4-${run}`, c1: `cust-1-${run}`, c2: `cust-2-${run}` };

const envelope = () => ({ commandId: CommandId.make(`recall-${nuid.next()}`), actor: Actor.make('service:api-test'), now: EpochMillis.make(Date.now()) });
const accepted = async (command: Command) => expect((await f.send(command))._tag).toBe('Accepted');
const restock = (sku: string, qty: number, location: string, lot: LotInfo) =>
  accepted({ _tag: 'Restock', ...envelope(), sku: Sku.make(sku), qty: Quantity.make(qty), reference: Reference.make('po-recall'), location: LocationId.make(location), lot });

const holdAndCommit = async (id: string, body: Record<string, unknown>) => {
  const held = await f.api.post('/v1/reservations', { reservationId: id, ...body }, { key: f.keys.reserve });
  expect(held.status, held.text).toBe(201);
  const commit = await f.api.post(`/v1/reservations/${id}/commit`, {}, { key: f.keys.reserve });
  expect(commit.status, commit.text).toBe(200);
};

const trace = async (query: string, accept = 'application/json') =>
  f.api.raw({ method: 'GET', path: `/v1/recalls/trace?${query}`, headers: { accept } });

/**
 * The trace once the ledger has every line (`lines` of them), and has had a moment to catch up with the
 * stock views the balance reads: the books are then the tests' to judge, never this wait's (a balance
 * that does not close fails their assertions with its figures, not a time-out).
 */
const traceWhen = async (query: string, lines: number): Promise<Trace> => {
  const deadline = Date.now() + 30_000;
  let last = 'nothing yet';
  let found: Trace | undefined;
  while (Date.now() < deadline && found === undefined) {
    const answer = await trace(query);
    if (answer.status === 200) {
      const body = decodeBody(RecallTraceAnswer, answer);
      if (body.lines.length === lines) found = body;
    }
    last = `${answer.status} ${answer.text.slice(0, 500)}`;
    if (found === undefined) await new Promise((done) => setTimeout(done, 100));
  }
  if (found === undefined) throw new Error(`the trace ?${query} never had ${lines} lines; last answer: ${last}`);
  // The ledger may still lag the views by a batch or two: up to 5 s more for it, then whatever it says.
  const settle = Date.now() + 5_000;
  while (Date.now() < settle && !found.lots.every((l) => l.massBalance.difference === 0)) {
    await new Promise((done) => setTimeout(done, 100));
    found = decodeBody(RecallTraceAnswer, await trace(query));
  }
  return found;
};

const line = (fields: { kind: 'commit' | 'sale'; sku: string; lot: string; qty: number; location: string; orderId?: string; reservationId?: string; customerId?: string; channel?: string }) => ({
  kind: fields.kind,
  sku: fields.sku,
  lot: fields.lot,
  qty: fields.qty,
  location: fields.location,
  orderId: fields.orderId ?? null,
  reservationId: fields.reservationId ?? null,
  customerId: fields.customerId ?? null,
  channel: fields.channel ?? 'web',
  committedAt: expect.any(String),
});
const byKey = (l: { readonly sku: string; readonly lot: string; readonly qty: number; readonly location: string }) => `${l.sku}/${l.lot}/${l.location}/${l.qty}`;
const sorted = <T extends { readonly sku: string; readonly lot: string; readonly qty: number; readonly location: string }>(lines: ReadonlyArray<T>) =>
  [...lines].sort((x, y) => byKey(x).localeCompare(byKey(y)));

const L1Lines = [
  line({ kind: 'commit', sku: a, lot: L1.code, qty: 4, location: 'main', orderId: ids.o1, reservationId: ids.r1, customerId: ids.c1 }),
  line({ kind: 'sale', sku: a, lot: L1.code, qty: 6, location: 'main', orderId: ids.o3 }),
  line({ kind: 'commit', sku: a, lot: L1.code, qty: 3, location: 'east', reservationId: ids.r2, customerId: ids.c2 }),
];
const L2Lines = [line({ kind: 'commit', sku: a, lot: L2.code, qty: 5, location: 'main', reservationId: ids.r3, customerId: ids.c1, channel: 'wholesale' })];
const B1Lines = [line({ kind: 'sale', sku: b, lot: B1.code, qty: 2, location: 'main', orderId: ids.o4 })];

beforeAll(async () => {
  f = await makeSystemFixture({ apiOverrides: { LARDER_ACTOR_DEADLINE_MS: '20000' } });
  await restock(a, 10, 'main', L1);
  await restock(a, 6, 'east', L1);
  await restock(a, 20, 'main', L2);
  await restock(b, 5, 'main', B1);
  // L1 (earliest best-before) fills each of these lines whole, so first-expired-first-out takes it.
  await holdAndCommit(ids.r1, { orderId: ids.o1, customerId: ids.c1, lines: [{ sku: a, qty: 4, location: 'main' }] });
  await holdAndCommit(ids.r2, { customerId: ids.c2, lines: [{ sku: a, qty: 3, location: 'east' }] });
  const order = await f.api.post('/v1/orders', { orderId: ids.o3, lines: [{ sku: a, qty: 6, location: 'main' }] }, { key: f.keys.write });
  expect(order.status, order.text).toBe(202);
  const other = await f.api.post('/v1/orders', { orderId: ids.o4, lines: [{ sku: b, qty: 2, location: 'main' }] }, { key: f.keys.write });
  expect(other.status, other.text).toBe(202);
  await f.waitForStock(a, (v) => v.onHand === 36 - 13);
  // L1 at main is used up: a hold on another channel (terms as the API would attach them) takes L2.
  const wholesale = { channel: ChannelId.make('wholesale'), minShelfLifeDays: 0, handlingDays: 0 };
  const r3 = ReservationId.make(ids.r3);
  await accepted({ _tag: 'ReserveStock', ...envelope(), sku: Sku.make(a), reservationId: r3, qty: Quantity.make(5), ttlSeconds: TtlSeconds.make(DefaultTtlSeconds), customerId: CustomerId.make(ids.c1), location: LocationId.make('main'), channel: wholesale });
  await accepted({ _tag: 'CommitReservation', ...envelope(), sku: Sku.make(a), reservationId: r3 });
  // Two units of order 3 come back into L1; one unit of L1 at east is damaged.
  await accepted({ _tag: 'ReceiveReturn', ...envelope(), sku: Sku.make(a), orderId: OrderId.make(ids.o3), qty: Quantity.make(2), restockable: true, reference: Reference.make('rma-1'), location: LocationId.make('main'), lot: L1 });
  await accepted({ _tag: 'AdjustStock', ...envelope(), sku: Sku.make(a), delta: Delta.make(-1), reason: 'damaged', reference: Reference.make('damaged-1'), location: LocationId.make('east'), lot: L1.code });
}, 120_000);
afterAll(async () => f?.cleanup());

describe('a trace by lot', () => {
  it('answers every line committed from the lot, with order, reservation, customer, location, channel and time', async () => {
    const body = await traceWhen(`sku=${a}&lot=${L1.code}`, 3);
    expect(body.selector).toEqual({ by: 'lot', sku: a, lot: L1.code });
    expect(sorted(body.lines)).toEqual(sorted(L1Lines));
    for (const l of body.lines) {
      expect(Date.parse(l.committedAt)).toBeGreaterThanOrEqual(started);
      expect(Date.parse(l.committedAt)).toBeLessThanOrEqual(Date.now());
    }
    expect(body.tookMs).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('closes the lot’s books: received 16 + returned 2 + adjusted −1 = committed 13 + on hand 4', async () => {
    const body = await traceWhen(`sku=${a}&lot=${L1.code}`, 3);
    expect(body.lots).toEqual([
      {
        sku: a,
        lot: L1.code,
        bestBefore: L1.bestBefore,
        producedOn: '2026-09-01',
        establishment: 'EST. 12345',
        massBalance: { received: 16, returned: 2, adjusted: -1, committed: 13, onHand: 4, difference: 0 },
        asOfSeq: expect.any(Number),
      },
    ]);
  }, 60_000);

  it('as CSV: a header row and one row per line', async () => {
    await traceWhen(`sku=${a}&lot=${L1.code}`, 3);
    const answer = await trace(`sku=${a}&lot=${L1.code}`, 'text/csv');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.contentType).toMatch(/^text\/csv/);
    const rows = Schema.decodeUnknownSync(Schema.Array(Schema.Array(Schema.String)))(parse(answer.text));
    expect(rows[0]).toEqual(['sku', 'lot', 'qty', 'orderId', 'reservationId', 'customerId', 'channel', 'location', 'committedAt', 'kind']);
    expect(rows).toHaveLength(1 + 3);
    expect(rows.slice(1).map((r) => `${r[0]}/${r[1]}/${r[7]}/${r[2]}/${r[9]}`).sort()).toEqual(
      L1Lines.map((l) => `${l.sku}/${l.lot}/${l.location}/${l.qty}/${l.kind}`).sort(),
    );
  }, 60_000);

  it('of a lot never received is a 404 unknown-lot', async () => {
    expect(problemOf(await trace(`sku=${a}&lot=NO-SUCH-LOT`))).toEqual(problem(404, 'unknown-lot'));
  });
});

describe('a trace by best-before and by production date', () => {
  it('by best-before finds the lot with that date and its line on its channel', async () => {
    const body = await traceWhen(`sku=${a}&bestBefore=${L2.bestBefore}`, 1);
    expect(body.lines).toEqual(L2Lines);
    expect(body.lots.map((l) => [l.lot, l.massBalance])).toEqual([[L2.code, { received: 20, returned: 0, adjusted: 0, committed: 5, onHand: 15, difference: 0 }]]);
  }, 60_000);

  it('by a production range across SKUs finds the lots of both, their lines, and closed books', async () => {
    const body = await traceWhen('producedFrom=2026-09-01&producedTo=2026-09-30', 4);
    expect(body.lots.map((l) => `${l.sku}/${l.lot}`).sort()).toEqual([`${a}/${L1.code}`, `${b}/${B1.code}`].sort());
    expect(sorted(body.lines)).toEqual(sorted([...L1Lines, ...B1Lines]));
  }, 60_000);

  it('by a production range of one SKU finds only its lots', async () => {
    const body = await traceWhen(`sku=${a}&producedFrom=2026-09-01&producedTo=2026-10-31`, 4);
    expect(body.lots.map((l) => l.lot).sort()).toEqual([L1.code, L2.code].sort());
    expect(sorted(body.lines)).toEqual(sorted([...L1Lines, ...L2Lines]));
  }, 60_000);
});

describe('a mock recall', () => {
  it('is recorded with who, the selector, what it found and how long it took, newest first', async () => {
    await traceWhen(`sku=${a}&lot=${L1.code}`, 3);
    const answer = await trace(`sku=${a}&lot=${L1.code}&mode=mock`);
    expect(answer.status, answer.text).toBe(200);
    const took = decodeBody(RecallTraceAnswer, answer).tookMs;
    const drills = decodeBody(RecallDrillsAnswer, await f.api.get('/v1/recalls/drills'));
    expect(drills.drills[0]).toMatchObject({ selector: { by: 'lot', sku: a, lot: L1.code }, lots: [{ sku: a, lot: L1.code }], lines: 3, units: 13, difference: 0, tookMs: took });
    expect(drills.drills[0]?.actor).toMatch(/^apikey:/);
    expect(Date.parse(drills.drills[0]?.ranAt ?? '')).toBeGreaterThanOrEqual(started);
  }, 60_000);
});

describe('a selector that is not exactly one', () => {
  it.each([
    ['nothing', ''],
    ['a lot without its sku', 'lot=L1-0901'],
    ['a lot and a best-before', `sku=X&lot=L1&bestBefore=2027-01-01`],
    ['half a production range', 'producedFrom=2026-09-01'],
    ['a range backwards', 'producedFrom=2026-09-30&producedTo=2026-09-01'],
    ['a date without its year', 'sku=X&bestBefore=03-01'],
    ['an unknown parameter', 'sku=X&lot=L1&format=xml'],
  ])('%s: 400', async (_label, query) => {
    expect(problemOf(await trace(query))).toEqual(problem(400, 'invalid-request'));
  });
});
