// Quarantine and release of a lot over real HTTP against a real shard runner (DESIGN.md §10
// "Quarantine and recall"): a lot's free units leave sale at every location at once, the answer lists
// the committed lines and open holds that drew on it, later commits take another lot (first expired,
// first out, quarantined lots skipped), a release puts back exactly what was taken out, and the ledger
// keeps both with who and why.
import { nuid } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture({ apiOverrides: { LARDER_ACTOR_DEADLINE_MS: '20000' } });
});
afterAll(async () => f?.cleanup());

const LotLevels = Schema.Struct({ code: Schema.String, bestBefore: Schema.String, onHand: Schema.Int, status: Schema.String });
const Stock = Schema.Struct({
  available: Schema.Int,
  onHand: Schema.Int,
  version: Schema.Int,
  locations: Schema.Array(Schema.Struct({ location: Schema.String, onHand: Schema.Int, available: Schema.Int, blocked: Schema.Int, lots: Schema.Array(LotLevels) })),
});
type Stock = typeof Stock.Type;
const LotStatus = Schema.Struct({
  sku: Schema.String,
  lot: Schema.String,
  status: Schema.Literal('quarantined', 'released'),
  changed: Schema.Boolean,
  locations: Schema.Array(Schema.Struct({ location: Schema.String, units: Schema.Int })),
  openHolds: Schema.Array(Schema.Struct({ reservationId: Schema.String, qty: Schema.Int, location: Schema.String })),
  committedLines: Schema.Array(
    Schema.Struct({ reservationId: Schema.optional(Schema.String), qty: Schema.Int, committedAt: Schema.String, location: Schema.String, customerId: Schema.optional(Schema.String) }),
  ),
});
const Ledger = Schema.Struct({
  entries: Schema.Array(
    Schema.Struct({
      type: Schema.String,
      actor: Schema.String,
      reason: Schema.String,
      location: Schema.String,
      quantity: Schema.NullOr(Schema.Int),
      details: Schema.Struct({
        reservationId: Schema.optional(Schema.String),
        /** A lot event's code (a restock's is its LotInfo). */
        lot: Schema.optional(Schema.Unknown),
        note: Schema.optional(Schema.String),
        lots: Schema.optional(Schema.Array(Schema.Struct({ lot: Schema.String, qty: Schema.Int }))),
      }),
    }),
  ),
});
type LedgerEntry = (typeof Ledger.Type)['entries'][number];
const Held = Schema.Struct({ reservationId: Schema.String });

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const stockWhen = (sku: string, predicate: (s: Stock) => boolean): Promise<Stock> => f.waitForStockAs(Stock, sku, predicate);

/** The ledger is a projection of the journal: poll until its entries satisfy `predicate`. */
const ledgerWhen = async (sku: string, predicate: (entries: ReadonlyArray<LedgerEntry>) => boolean): Promise<ReadonlyArray<LedgerEntry>> => {
  const deadline = Date.now() + 20_000;
  let last: ReadonlyArray<LedgerEntry> = [];
  while (Date.now() < deadline) {
    last = decodeBody(Ledger, await f.api.get(`/v1/skus/${sku}/ledger?limit=200`)).entries;
    if (predicate(last)) return last;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`the ledger of ${sku} never satisfied the predicate; last: ${JSON.stringify(last.map((e) => e.type))}`);
};

const restock = async (sku: string, qty: number, location: string, lot: { code: string; bestBefore: string; producedOn?: string }) => {
  const answer = await f.api.post('/v1/restocks', { sku, qty, reference: `po-${lot.code}-${location}`, location, lot }, { key: f.keys.write });
  expect(answer.status, answer.text).toBe(202);
};
const hold = async (sku: string, qty: number, location: string, customerId: string) => {
  const answer = await f.api.post('/v1/reservations', { customerId, lines: [{ sku, qty, location }] }, { key: f.keys.reserve });
  expect(answer.status, answer.text).toBe(201);
  return decodeBody(Held, answer).reservationId;
};
const CommitBody = Schema.Struct({ status: Schema.String, lots: Schema.Array(Schema.Struct({ sku: Schema.String, lot: Schema.String, qty: Schema.Int })) });
/** Commits a hold; its answer's lots (the owner's first-expired-first-out assignment). */
const commit = async (reservationId: string) => {
  const answer = await f.api.post(`/v1/reservations/${reservationId}/commit`, {}, { key: f.keys.reserve });
  expect(answer.status, answer.text).toBe(200);
  return decodeBody(CommitBody, answer).lots;
};
const setLot = (sku: string, lot: string, action: 'quarantine' | 'release', reason: string) =>
  f.api.post(`/v1/lots/${sku}/${lot}/${action}`, { reason }, { key: f.keys.write });

describe('a lot with 40 free units over two locations and 3 committed lines that took it', () => {
  it('quarantine takes its 40 units out of sale at once and names what drew on it; later commits take another lot; release puts back exactly 40', async () => {
    const sku = uniqueSku('LOTQ');
    const q = `Q-${nuid.next().slice(-6)}`;
    const r = `R-${nuid.next().slice(-6)}`;
    await restock(sku, 28, 'main', { code: q, bestBefore: day(200), producedOn: day(-10) });
    await restock(sku, 15, '3pl', { code: q, bestBefore: day(200) });
    await restock(sku, 20, 'main', { code: r, bestBefore: day(300) });
    await stockWhen(sku, (s) => s.onHand === 63);

    // Three lines committed through HTTP: first expired, first out, so each takes lot Q.
    const committed = [await hold(sku, 1, 'main', 'c-1'), await hold(sku, 1, 'main', 'c-2'), await hold(sku, 1, 'main', 'c-3')];
    for (const id of committed) expect(await commit(id)).toEqual([{ sku, lot: q, qty: 1 }]);
    // One hold left open at main: it could take Q at commit.
    const open = await hold(sku, 1, 'main', 'c-open');
    const before = await stockWhen(sku, (s) => s.onHand === 60 && s.available === 59);
    // The answer reads the ledger: wait for the projector to have the commits and the open hold.
    await ledgerWhen(sku, (es) => es.filter((e) => e.type === 'ReservationCommitted').length === 3 && es.some((e) => e.type === 'StockReserved' && e.details.reservationId === open));

    const quarantined = await setLot(sku, q, 'quarantine', 'supplier notice SN-77: possible foreign material');
    expect(quarantined.status, quarantined.text).toBe(200);
    const body = decodeBody(LotStatus, quarantined);
    expect(body).toMatchObject({ sku, lot: q, status: 'quarantined', changed: true });
    expect([...body.locations].sort((a, b) => a.location.localeCompare(b.location))).toEqual([
      { location: '3pl', units: 15 },
      { location: 'main', units: 25 },
    ]);
    expect(body.committedLines.map((l) => l.reservationId).sort()).toEqual([...committed].sort());
    expect(body.committedLines.every((l) => l.qty === 1 && l.location === 'main')).toBe(true);
    expect(body.committedLines.map((l) => l.customerId).sort()).toEqual(['c-1', 'c-2', 'c-3']);
    expect(body.openHolds.map((h) => h.reservationId)).toEqual([open]);

    // Projection lag: the read follows within moments, 40 units fewer, Q shown out of sale at both locations.
    const after = await stockWhen(sku, (s) => s.available === before.available - 40);
    expect(after.locations.flatMap((l) => l.lots.filter((lot) => lot.code === q).map((lot) => lot.status))).toEqual(['quarantined', 'quarantined']);
    expect(after.locations.find((l) => l.location === 'main')?.blocked).toBe(25);

    // Quarantined again: the same answer, nothing changed.
    const again = await setLot(sku, q, 'quarantine', 'second notice');
    expect(again.status, again.text).toBe(200);
    expect(decodeBody(LotStatus, again)).toMatchObject({ status: 'quarantined', changed: false });

    // The open hold's commit skips Q: its lot assignment names R, in its answer and the ledger.
    expect(await commit(open)).toEqual([{ sku, lot: r, qty: 1 }]);
    const withCommit = await ledgerWhen(sku, (es) => es.some((e) => e.type === 'ReservationCommitted' && e.details.reservationId === open));
    expect(withCommit.find((e) => e.type === 'ReservationCommitted' && e.details.reservationId === open)?.details.lots).toEqual([{ lot: r, qty: 1 }]);
    const beforeRelease = await stockWhen(sku, (s) => s.onHand === 59);

    const released = await setLot(sku, q, 'release', 'lab result LR-12: clear');
    expect(released.status, released.text).toBe(200);
    const releasedBody = decodeBody(LotStatus, released);
    expect(releasedBody).toMatchObject({ status: 'released', changed: true });
    expect(releasedBody.locations.reduce((sum, l) => sum + l.units, 0)).toBe(40);
    await stockWhen(sku, (s) => s.available === beforeRelease.available + 40 && s.locations.every((l) => l.blocked === 0));

    // The ledger keeps both, per location, with who and why.
    const entries = await ledgerWhen(sku, (es) => es.filter((e) => e.type === 'LotReleased').length === 2);
    const lotEntries = entries.filter((e) => e.type === 'LotQuarantined' || e.type === 'LotReleased');
    expect(lotEntries).toHaveLength(4);
    for (const e of lotEntries) {
      expect(e.actor).toBe('apikey:test-write');
      expect(e.details.lot).toBe(q);
    }
    expect(lotEntries.filter((e) => e.type === 'LotQuarantined').map((e) => e.details.note)).toEqual(['supplier notice SN-77: possible foreign material', 'supplier notice SN-77: possible foreign material']);
    expect(lotEntries.filter((e) => e.type === 'LotReleased').map((e) => e.details.note)).toEqual(['lab result LR-12: clear', 'lab result LR-12: clear']);
  });

  it('answers 404 unknown-lot for a lot the SKU never received, and 400 without a reason', async () => {
    const sku = uniqueSku('LOTX');
    await f.seedStock(sku, 5);
    expect(problemOf(await setLot(sku, 'NOPE-1', 'quarantine', 'recall drill'))).toEqual(problem(404, 'unknown-lot'));
    expect(problemOf(await setLot(sku, 'NOPE-1', 'quarantine', ''))).toEqual(problem(400, 'invalid-request'));
  });
});
