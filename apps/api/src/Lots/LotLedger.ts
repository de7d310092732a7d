// What the audit ledger (Postgres, written by the runner's ledger projector) says drew on a lot of a
// SKU: the committed lines that took units of it (commits and sales, with their lot assignment: the
// recall trace's rows), and
// the holds still open that could take it at commit. The ledger lags the journal by the projector's lag.
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Either, ParseResult, Schema } from 'effect';
import { makeRecallLedger } from '../Recalls/RecallLedger.js';

const BigintText = Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative());

/** The fields of `details` these reads use (the rest is ignored). */
const Details = Schema.Struct({
  reservationId: Schema.optional(Schema.String),
  orderId: Schema.optional(Schema.String),
  customerId: Schema.optional(Schema.String),
  channel: Schema.optional(Schema.Struct({ channel: Schema.String })),
  sellableFrom: Schema.optional(Schema.String),
  expiresAt: Schema.optional(Schema.Number),
});

const Row = Schema.Struct({
  seq: BigintText,
  idx: Schema.Int,
  eventType: Schema.String,
  location: Schema.String,
  at: BigintText,
  quantity: Schema.NullOr(Schema.Int),
  details: Details,
});
type LotLedgerRow = typeof Row.Type;
const decodeRows = Schema.decodeUnknownEither(Schema.Array(Row));

const select = `select "seq"::text as "seq", "idx", "event_type" as "eventType", "location",
  (extract(epoch from "at") * 1000)::bigint::text as "at", "quantity", "details"
from ledger_entry`;

const holdEventsSql = `${select}
where "sku" = ? and "event_type" in ('StockReserved', 'ReservationExtended', 'ReservationCommitted', 'ReservationReleased', 'ReservationExpired')
order by "seq", "idx"`;

const rowsOf = async (orm: MikroORM, sql: string, params: ReadonlyArray<string>): Promise<ReadonlyArray<LotLedgerRow>> => {
  const decoded = decodeRows(await queryRows(orm, sql, params));
  if (Either.isLeft(decoded)) throw new Error(`unexpected ledger rows: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`);
  return decoded.right;
};

export interface CommittedLine {
  readonly reservationId?: string;
  readonly orderId?: string;
  readonly customerId?: string;
  /** Units of this lot the line took. */
  readonly qty: number;
  readonly committedAt: string;
  readonly channel?: string;
  readonly location: string;
}

export interface OpenHold {
  readonly reservationId: string;
  readonly orderId?: string;
  readonly customerId?: string;
  readonly qty: number;
  readonly location: string;
  readonly heldAt: string;
  readonly expiresAt: string;
  readonly channel?: string;
  /** The earliest best-before the hold may ship with (absent: any lot). */
  readonly sellableFrom?: string;
}

/**
 * Holds whose last event is their placing (or an extension): no commit, release or expiry since, and
 * not past their expiry at `now`. Folded from the SKU's hold events in journal order.
 */
const openHoldsOf = (rows: ReadonlyArray<LotLedgerRow>, now: number): ReadonlyArray<OpenHold> => {
  const open = new Map<string, OpenHold>();
  for (const row of rows) {
    const id = row.details.reservationId;
    if (id === undefined) continue;
    switch (row.eventType) {
      case 'StockReserved':
        open.set(id, {
          reservationId: id,
          ...(row.details.orderId === undefined ? {} : { orderId: row.details.orderId }),
          ...(row.details.customerId === undefined ? {} : { customerId: row.details.customerId }),
          qty: row.quantity ?? 0,
          location: row.location,
          heldAt: new Date(row.at).toISOString(),
          expiresAt: new Date(row.details.expiresAt ?? row.at).toISOString(),
          ...(row.details.channel === undefined ? {} : { channel: row.details.channel.channel }),
          ...(row.details.sellableFrom === undefined ? {} : { sellableFrom: row.details.sellableFrom }),
        });
        break;
      case 'ReservationExtended': {
        const hold = open.get(id);
        if (hold !== undefined && row.details.expiresAt !== undefined) open.set(id, { ...hold, expiresAt: new Date(row.details.expiresAt).toISOString() });
        break;
      }
      default:
        open.delete(id);
    }
  }
  return [...open.values()].filter((h) => Date.parse(h.expiresAt) > now);
};

/** Commits and sales whose lot assignment took units of `lot`, oldest first: the recall trace's own rows (its indexed query). */
export const readCommittedLines = async (orm: MikroORM, sku: string, lot: string): Promise<ReadonlyArray<CommittedLine>> =>
  (await makeRecallLedger(orm).takesOf({ sku, code: lot })).flatMap((row) =>
    (row.eventType === 'ReservationCommitted' || row.eventType === 'SaleRecorded') && row.taken !== 0
      ? [
          {
            ...(row.reservationId === null ? {} : { reservationId: row.reservationId }),
            ...(row.orderId === null ? {} : { orderId: row.orderId }),
            ...(row.customerId === null ? {} : { customerId: row.customerId }),
            qty: row.taken,
            committedAt: new Date(row.at).toISOString(),
            ...(row.channel === null ? {} : { channel: row.channel }),
            location: row.location,
          },
        ]
      : [],
  );

export const readOpenHolds = async (orm: MikroORM, sku: string, now: number) => openHoldsOf(await rowsOf(orm, holdEventsSql, [sku]), now);
