// A reservation as the API remembers it in Redis (`<prefix>res:<id>`, a hash): the immutable terms as
// one JSON field, and the last status an owner confirmed. Every instance reads the same record.
import { CustomerId, EpochMillis, OrderId, Quantity, ReservationId, Sku } from '@larder/domain';
import { Schema } from 'effect';

export const StoredLine = Schema.Struct({ sku: Sku, qty: Quantity });
export type StoredLine = typeof StoredLine.Type;

export const ReservationTerms = Schema.Struct({
  v: Schema.Literal(1),
  reservationId: ReservationId,
  /** The principal that placed the hold. */
  actor: Schema.String,
  lines: Schema.Array(StoredLine).pipe(Schema.minItems(1)),
  /** The latest of the lines' expiries (epoch ms). */
  expiresAt: EpochMillis,
  createdAt: EpochMillis,
  orderId: Schema.optional(OrderId),
  customerId: Schema.optional(CustomerId),
});
export type ReservationTerms = typeof ReservationTerms.Type;

/** What an owner last confirmed; `expired` is also computed on read for a hold past its expiry. */
export const StoredStatus = Schema.Literal('held', 'committed', 'released', 'expired');
export type StoredStatus = typeof StoredStatus.Type;

export const StoredReservation = Schema.Struct({
  terms: Schema.parseJson(ReservationTerms),
  status: StoredStatus,
  /** "1" once a commit was stored on INV_CMD for an owner that did not answer (202 pending). */
  commitPending: Schema.optional(Schema.Literal('1')),
});
export type StoredReservation = typeof StoredReservation.Type;

/** Same hold: placed by the same principal for the same SKUs and quantities. */
export const sameTerms = (a: ReservationTerms, b: ReservationTerms) => {
  if (a.actor !== b.actor || a.lines.length !== b.lines.length) return false;
  const qtyOf = new Map(a.lines.map((l) => [l.sku, l.qty]));
  return b.lines.every((l) => qtyOf.get(l.sku) === l.qty);
};

/**
 * Whether a caller may commit or release a hold (and, without `stock:read`, read it): the principal
 * that placed it, or one allowed to act for anyone (`admin`). To anyone else it does not exist (404):
 * a reservation id a client chose may be guessable, and its existence is nobody else's business.
 */
export const mayActOn = (stored: StoredReservation, actor: string, forAnyone: boolean) => forAnyone || stored.terms.actor === actor;

/** The status a reader sees: a hold past its expiry is expired, unless a commit is on its way. */
export const visibleStatus = (stored: StoredReservation, now: number): StoredStatus =>
  stored.status === 'held' && stored.commitPending === undefined && now >= stored.terms.expiresAt ? 'expired' : stored.status;
