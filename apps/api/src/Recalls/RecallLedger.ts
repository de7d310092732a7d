// The ledger (Postgres `ledger_entry`) as a recall reads it: which lots a selector names (from the
// receipts' `details.lot`), then per lot its receipts and every row that took units from it
// (`details.lots` contains it). Each query matches a partial index of Migration20261214090000: the
// receipts by expression, the takes by GIN `jsonb_path_ops` containment. Rows are decoded with Schema.
import type { MikroORM } from '@mikro-orm/postgresql';
import { queryRows, type SqlParam } from '@larder/persistence';
import { Schema } from 'effect';
import { breathe } from '../Imports/ImportBatches.js';
import type { RecallSelector } from './RecallSelector.js';

// The same predicates as the indexes' `where`, so the planner may use them.
const receipts = `l."event_type" in ('StockRestocked', 'ReturnReceived')`;
const takes = `l."event_type" in ('ReservationCommitted', 'SaleRecorded', 'StockAdjusted', 'StockCounted')`;

const BigintText = Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative());
const Text = Schema.NullOr(Schema.String);

export const LotKey = Schema.Struct({ sku: Schema.String, code: Schema.String });
export type LotKey = typeof LotKey.Type;
const decodeLotKeys = Schema.decodeUnknownSync(Schema.Array(LotKey));

export const ReceiptRow = Schema.Struct({
  seq: BigintText,
  eventType: Schema.Literal('StockRestocked', 'ReturnReceived'),
  quantity: Schema.Int,
  restockable: Schema.NullOr(Schema.Boolean),
  bestBefore: Text,
  producedOn: Text,
  establishment: Text,
});
export type ReceiptRow = typeof ReceiptRow.Type;
const decodeReceipts = Schema.decodeUnknownSync(Schema.Array(ReceiptRow));

export const TakeRow = Schema.Struct({
  seq: BigintText,
  eventType: Schema.Literal('ReservationCommitted', 'SaleRecorded', 'StockAdjusted', 'StockCounted'),
  location: Schema.String,
  /** Epoch ms. */
  at: BigintText,
  /** The event's quantity: for an adjustment its signed delta. */
  quantity: Schema.NullOr(Schema.Int),
  /** Units of this lot the row took (or, for an increasing adjustment, put in); for a count of this lot, its signed difference. */
  taken: Schema.Int,
  /** A stocktake of this one lot (`POST /v1/counts` with `lot`): `taken` is the signed difference it made. */
  lotCount: Schema.Boolean,
  reservationId: Text,
  orderId: Text,
  customerId: Text,
  channel: Text,
});
export type TakeRow = typeof TakeRow.Type;
const decodeTake = Schema.decodeUnknownSync(TakeRow);
const decodeRowList = Schema.decodeUnknownSync(Schema.Array(Schema.Unknown));

/** Rows decoded between two turns of the event loop (measured: ~6 µs a row, so ~12 ms a slice). */
const DecodeSlice = 2_000;

/**
 * A large trace's rows (100,000 for a whole history: ~0.6 s of Schema decoding) decoded a slice at a
 * time, yielding to the event loop between slices, so stock reads on this instance keep being served.
 */
const decodeTakes = async (rows: unknown): Promise<ReadonlyArray<TakeRow>> => {
  const list = decodeRowList(rows);
  const decoded: Array<TakeRow> = [];
  for (let start = 0; start < list.length; start += DecodeSlice) {
    if (start > 0) await breathe();
    for (const row of list.slice(start, start + DecodeSlice)) decoded.push(decodeTake(row));
  }
  return decoded;
};

const lotKeysQuery = (selector: RecallSelector): { readonly sql: string; readonly params: ReadonlyArray<SqlParam> } => {
  const select = `select distinct l."sku", l."details"->'lot'->>'code' as "code" from ledger_entry as l where ${receipts}`;
  switch (selector.by) {
    case 'lot':
      return { sql: `${select} and l."sku" = ? and (l."details"->'lot'->>'code') = ? order by 1, 2`, params: [selector.sku, selector.lot] };
    case 'bestBefore':
      return { sql: `${select} and l."sku" = ? and (l."details"->'lot'->>'bestBefore') = ? order by 1, 2`, params: [selector.sku, selector.bestBefore] };
    case 'produced': {
      const range = `(l."details"->'lot'->>'producedOn') between ? and ?`;
      return selector.sku === null
        ? { sql: `${select} and ${range} order by 1, 2`, params: [selector.producedFrom, selector.producedTo] }
        : { sql: `${select} and ${range} and l."sku" = ? order by 1, 2`, params: [selector.producedFrom, selector.producedTo, selector.sku] };
    }
    default:
      return selector satisfies never;
  }
};

const receiptsSql = `
select l."seq"::text as "seq", l."event_type" as "eventType", l."quantity",
  (l."details"->'restockable')::boolean as "restockable",
  l."details"->'lot'->>'bestBefore' as "bestBefore", l."details"->'lot'->>'producedOn' as "producedOn",
  l."details"->'lot'->>'establishment' as "establishment"
from ledger_entry as l
where ${receipts} and l."sku" = ? and (l."details"->'lot'->>'code') = ?
order by l."seq", l."idx"`;

const takesSql = `
select l."seq"::text as "seq", l."event_type" as "eventType", l."location",
  (extract(epoch from l."at") * 1000)::bigint::text as "at", l."quantity",
  case when l."details"->>'lot' = ? then l."quantity"
    else (select coalesce(sum((t->>'qty')::int), 0) from jsonb_array_elements(l."details"->'lots') as t where t->>'lot' = ?)::int end as "taken",
  l."details"->>'lot' is not null and jsonb_typeof(l."details"->'lot') = 'string' as "lotCount",
  l."details"->>'reservationId' as "reservationId", l."details"->>'orderId' as "orderId",
  l."details"->>'customerId' as "customerId", l."details"->'channel'->>'channel' as "channel"
from ledger_entry as l
where ${takes} and (l."details" @> ?::jsonb or l."details" @> ?::jsonb) and l."sku" = ?
order by l."seq", l."idx"`;

export interface RecallLedger {
  /** The lots (SKU and code) the selector names, by the lots' receipts. */
  readonly lotsOf: (selector: RecallSelector) => Promise<ReadonlyArray<LotKey>>;
  /** The lot's receipts (restocks and returns into it), oldest first. */
  readonly receiptsOf: (lot: LotKey) => Promise<ReadonlyArray<ReceiptRow>>;
  /** Every row that took units from the lot (or put units in by adjustment), oldest first. */
  readonly takesOf: (lot: LotKey) => Promise<ReadonlyArray<TakeRow>>;
}

export const makeRecallLedger = (orm: MikroORM): RecallLedger => ({
  lotsOf: async (selector) => {
    const { sql, params } = lotKeysQuery(selector);
    return decodeLotKeys(await queryRows(orm, sql, params));
  },
  receiptsOf: async (lot) => decodeReceipts(await queryRows(orm, receiptsSql, [lot.sku, lot.code])),
  takesOf: async (lot) =>
    decodeTakes(await queryRows(orm, takesSql, [lot.code, lot.code, JSON.stringify({ lots: [{ lot: lot.code }] }), JSON.stringify({ lot: lot.code }), lot.sku])),
});
