// A recall trace (DESIGN.md §10): the lots a selector names, every committed line (commit or sale) that
// took units from them, and each lot's mass balance — received + returned + adjusted = committed + onHand,
// the difference stated (0 when the books close). The ledger gives the movements, the API's stock view
// the units on hand now; the balance counts the movements up to the view's journal sequence, so both
// sides describe the same moment (the lines are every one the ledger holds).
import { DefaultChannel } from '@larder/domain';
import { Schema } from 'effect';
import type { StockCache } from '../Stock/StockCache.js';
import { Problem } from '../Http/Problems.js';
import type { LotKey, ReceiptRow, RecallLedger, TakeRow } from './RecallLedger.js';
import { RecallSelectorAnswer, type RecallSelector } from './RecallSelector.js';

export const TraceLine = Schema.Struct({
  /** `commit`: a reservation committed; `sale`: an order recorded without a hold. */
  kind: Schema.Literal('commit', 'sale'),
  orderId: Schema.NullOr(Schema.String),
  reservationId: Schema.NullOr(Schema.String),
  customerId: Schema.NullOr(Schema.String),
  sku: Schema.String,
  lot: Schema.String,
  qty: Schema.Int,
  /** When the units were committed (ISO 8601). */
  committedAt: Schema.String,
  /** The sales channel of the hold or order (`web`, the default, when it named none). */
  channel: Schema.String,
  location: Schema.String,
}).annotations({ identifier: 'RecallTraceLine' });
export type TraceLine = typeof TraceLine.Type;

export const MassBalance = Schema.Struct({
  /** Units restocked into the lot. */
  received: Schema.Int,
  /** Units returned into it (restockable returns). */
  returned: Schema.Int,
  /** Signed: adjustments into (+) and out of (−) it, and units counts found missing (−). */
  adjusted: Schema.Int,
  /** Units committed and sold from it. */
  committed: Schema.Int,
  /** Units of it on hand now, over every location. */
  onHand: Schema.Int,
  /** received + returned + adjusted − committed − onHand: 0 when the books close. */
  difference: Schema.Int,
}).annotations({ identifier: 'RecallMassBalance' });
export type MassBalance = typeof MassBalance.Type;

export const TracedLot = Schema.Struct({
  sku: Schema.String,
  lot: Schema.String,
  bestBefore: Schema.NullOr(Schema.String),
  producedOn: Schema.NullOr(Schema.String),
  establishment: Schema.NullOr(Schema.String),
  massBalance: MassBalance,
  /** The journal sequence the balance is as of (the stock view's); null when the API has no view of the SKU. */
  asOfSeq: Schema.NullOr(Schema.Int),
}).annotations({ identifier: 'RecallTracedLot' });
export type TracedLot = typeof TracedLot.Type;

export const RecallTraceAnswer = Schema.Struct({
  selector: RecallSelectorAnswer,
  lots: Schema.Array(TracedLot),
  lines: Schema.Array(TraceLine),
  /** How long the trace took on the server, in milliseconds. */
  tookMs: Schema.Number,
}).annotations({ identifier: 'RecallTrace' });

export interface RecallTrace {
  readonly lots: ReadonlyArray<TracedLot>;
  readonly lines: ReadonlyArray<TraceLine>;
}

const lineOf = (lot: LotKey, row: TakeRow): ReadonlyArray<TraceLine> =>
  (row.eventType === 'ReservationCommitted' || row.eventType === 'SaleRecorded') && row.taken > 0
    ? [{
        kind: row.eventType === 'SaleRecorded' ? 'sale' : 'commit',
        orderId: row.orderId,
        reservationId: row.reservationId,
        customerId: row.customerId,
        sku: lot.sku,
        lot: lot.code,
        qty: row.taken,
        committedAt: new Date(row.at).toISOString(),
        channel: row.channel ?? DefaultChannel,
        location: row.location,
      }]
    : [];

/** What a row did to the lot's balance: committed (out), or adjusted (signed). */
const movementOf = (row: TakeRow): { readonly committed: number; readonly adjusted: number } => {
  switch (row.eventType) {
    case 'ReservationCommitted':
    case 'SaleRecorded':
      return { committed: row.taken, adjusted: 0 };
    case 'StockAdjusted':
      return { committed: 0, adjusted: (row.quantity ?? 0) < 0 ? -row.taken : row.taken };
    case 'StockCounted':
      return { committed: 0, adjusted: row.lotCount ? row.taken : -row.taken };
    default:
      return row.eventType satisfies never;
  }
};

export const massBalanceOf = (receipts: ReadonlyArray<ReceiptRow>, takes: ReadonlyArray<TakeRow>, onHand: number): MassBalance => {
  let received = 0;
  let returned = 0;
  for (const r of receipts) {
    if (r.eventType === 'StockRestocked') received += r.quantity;
    else if (r.restockable === true) returned += r.quantity;
  }
  let adjusted = 0;
  let committed = 0;
  for (const t of takes) {
    const m = movementOf(t);
    adjusted += m.adjusted;
    committed += m.committed;
  }
  return { received, returned, adjusted, committed, onHand, difference: received + returned + adjusted - committed - onHand };
};

/** The lot's units on hand over every location, and the journal sequence of that view (null: no view). */
const onHandOf = (cache: StockCache, lot: LotKey): { readonly onHand: number; readonly seq: number | null } => {
  const view = cache.get(lot.sku);
  if (view === undefined || view.kind === 'pack') return { onHand: 0, seq: null };
  const onHand = view.locations.flatMap((l) => l.lots).reduce((sum, l) => (l.code === lot.code ? sum + l.onHand : sum), 0);
  return { onHand, seq: view.seq };
};

const traceLot = async (ledger: RecallLedger, cache: StockCache, lot: LotKey) => {
  const [receipts, takes] = await Promise.all([ledger.receiptsOf(lot), ledger.takesOf(lot)]);
  const { onHand, seq } = onHandOf(cache, lot);
  const upTo = <R extends { readonly seq: number }>(rows: ReadonlyArray<R>) => (seq === null ? rows : rows.filter((r) => r.seq <= seq));
  const first = receipts.find((r) => r.eventType === 'StockRestocked') ?? receipts[0];
  const traced: TracedLot = {
    sku: lot.sku,
    lot: lot.code,
    bestBefore: first?.bestBefore ?? null,
    producedOn: first?.producedOn ?? null,
    establishment: first?.establishment ?? null,
    massBalance: massBalanceOf(upTo(receipts), upTo(takes), onHand),
    asOfSeq: seq,
  };
  return { traced, lines: takes.flatMap((row) => lineOf(lot, row)) };
};

/** Runs the trace; a lot named by code that was never received is a 404. */
export const traceRecall = async (ledger: RecallLedger, cache: StockCache, selector: RecallSelector): Promise<RecallTrace> => {
  const keys = await ledger.lotsOf(selector);
  if (selector.by === 'lot' && keys.length === 0) {
    throw new Problem({ type: 'unknown-lot', detail: `no lot ${selector.lot} of ${selector.sku} was received (or the ledger has not caught up yet)` });
  }
  const traced = await Promise.all(keys.map((key) => traceLot(ledger, cache, key)));
  return { lots: traced.map((t) => t.traced), lines: traced.flatMap((t) => t.lines) };
};
