// The brute-force answer a recall trace must equal: the whole journal (INV_EVT) read from its first
// message, every batch decoded with the domain codec, every lot take of a commit or sale collected as a
// line, and each lot's receipts, returns, adjustments and commits summed — no ledger, no index.
import { DefaultChannel, type Event, type LotInfo } from '@larder/domain';
import { decodeEventBatch, type Names } from '@larder/messaging';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Either } from 'effect';

export interface ScannedLine {
  readonly kind: 'commit' | 'sale';
  readonly orderId: string | null;
  readonly reservationId: string | null;
  readonly customerId: string | null;
  readonly sku: string;
  readonly lot: string;
  readonly qty: number;
  readonly committedAt: string;
  readonly channel: string;
  readonly location: string;
}

export interface ScannedLot {
  readonly sku: string;
  readonly lot: string;
  /** Every receipt's lot info (a return may say less than the restock did). */
  readonly infos: Array<LotInfo>;
  received: number;
  returned: number;
  adjusted: number;
  committed: number;
}

export interface JournalScan {
  readonly messages: number;
  readonly events: number;
  readonly lines: ReadonlyArray<ScannedLine>;
  readonly lots: ReadonlyMap<string, ScannedLot>;
  readonly seconds: number;
}

const keyOf = (sku: string, lot: string) => `${sku}\u0000${lot}`;

/** Units per lot in a take list (a lot named twice counts once, summed: as the trace does). */
const perLot = (takes: ReadonlyArray<{ readonly lot: string; readonly qty: number }> | undefined): ReadonlyMap<string, number> => {
  const sums = new Map<string, number>();
  for (const t of takes ?? []) sums.set(t.lot, (sums.get(t.lot) ?? 0) + t.qty);
  return sums;
};

const fold = (lots: Map<string, ScannedLot>, lines: Array<ScannedLine>, event: Event) => {
  const lotOf = (lot: string) => {
    const key = keyOf(event.sku, lot);
    const known = lots.get(key);
    if (known !== undefined) return known;
    const fresh: ScannedLot = { sku: event.sku, lot, infos: [], received: 0, returned: 0, adjusted: 0, committed: 0 };
    lots.set(key, fresh);
    return fresh;
  };
  switch (event._tag) {
    case 'StockRestocked':
      if (event.lot !== undefined) {
        const lot = lotOf(event.lot.code);
        lot.infos.push(event.lot);
        lot.received += event.qty;
      }
      return;
    case 'ReturnReceived':
      if (event.lot !== undefined) {
        const lot = lotOf(event.lot.code);
        lot.infos.push(event.lot);
        if (event.restockable) lot.returned += event.qty;
      }
      return;
    case 'StockAdjusted':
      for (const [code, qty] of perLot(event.lots)) lotOf(code).adjusted += event.delta < 0 ? -qty : qty;
      return;
    case 'StockCounted':
      for (const [code, qty] of perLot(event.lots)) lotOf(code).adjusted -= qty;
      return;
    case 'ReservationCommitted':
    case 'SaleRecorded':
      for (const [code, qty] of perLot(event.lots)) {
        lotOf(code).committed += qty;
        lines.push({
          kind: event._tag === 'SaleRecorded' ? 'sale' : 'commit',
          orderId: event.orderId ?? null,
          reservationId: event._tag === 'ReservationCommitted' ? event.reservationId : null,
          customerId: event._tag === 'ReservationCommitted' ? (event.customerId ?? null) : null,
          sku: event.sku,
          lot: code,
          qty,
          committedAt: new Date(event.at).toISOString(),
          channel: event.channel?.channel ?? DefaultChannel,
          location: event.location,
        });
      }
      return;
    default:
      return;
  }
};

export const scanJournal = async (js: JetStreamClient, jsm: JetStreamManager, names: Names): Promise<JournalScan> => {
  const t0 = performance.now();
  const lastSeq = (await jsm.streams.info(names.journal.stream)).state.last_seq;
  const lots = new Map<string, ScannedLot>();
  const lines: Array<ScannedLine> = [];
  let messages = 0;
  let events = 0;
  if (lastSeq > 0) {
    const consumer = await js.consumers.get(names.journal.stream, { deliver_policy: DeliverPolicy.All });
    const stream = await consumer.consume();
    try {
      for await (const m of stream) {
        const batch = decodeEventBatch(m.data);
        if (Either.isLeft(batch)) throw new Error(`journal message ${m.seq} (${m.subject}) does not decode: ${batch.left.reason}`);
        messages++;
        for (const event of batch.right.events) {
          events++;
          fold(lots, lines, event);
        }
        if (m.seq >= lastSeq) break;
      }
    } finally {
      await stream.close();
    }
  }
  return { messages, events, lines, lots, seconds: Math.round((performance.now() - t0) / 10) / 100 };
};

export type BenchSelector =
  | { readonly by: 'lot'; readonly sku: string; readonly lot: string }
  | { readonly by: 'bestBefore'; readonly sku: string; readonly bestBefore: string }
  | { readonly by: 'produced'; readonly sku: string | null; readonly producedFrom: string; readonly producedTo: string };

/** Whether any receipt of the lot matches the selector (as the trace finds lots: by their receipts). */
export const selects = (selector: BenchSelector, lot: ScannedLot): boolean => {
  switch (selector.by) {
    case 'lot':
      return lot.sku === selector.sku && lot.lot === selector.lot && lot.infos.length > 0;
    case 'bestBefore':
      return lot.sku === selector.sku && lot.infos.some((i) => i.bestBefore === selector.bestBefore);
    case 'produced':
      return (
        (selector.sku === null || lot.sku === selector.sku) &&
        lot.infos.some((i) => i.producedOn !== undefined && i.producedOn >= selector.producedFrom && i.producedOn <= selector.producedTo)
      );
    default:
      return selector satisfies never;
  }
};

export const expectedTrace = (scan: JournalScan, selector: BenchSelector) => {
  const lots = [...scan.lots.values()].filter((l) => selects(selector, l));
  const chosen = new Set(lots.map((l) => keyOf(l.sku, l.lot)));
  return {
    lots: lots.map((l) => ({
      sku: l.sku,
      lot: l.lot,
      received: l.received,
      returned: l.returned,
      adjusted: l.adjusted,
      committed: l.committed,
      onHand: l.received + l.returned + l.adjusted - l.committed,
    })),
    lines: scan.lines.filter((line) => chosen.has(keyOf(line.sku, line.lot))),
  };
};
