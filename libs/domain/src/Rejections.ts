// Why a command was refused, as values named after the refused fact. A rejection changes nothing
// and needs no append; it is the reply.
import { Schema } from 'effect';
import { CustomerId, DropId, LocationId, ReservationId, Sku } from './Ids.js';
import { EpochMillis } from './Quantities.js';
import { CalendarDate, LotCode } from './Lots/Lot.js';

export const InsufficientStock = Schema.TaggedStruct('InsufficientStock', {
  sku: Sku,
  location: LocationId,
  requested: Schema.Int,
  available: Schema.Int,
  /** The hold was in this drop: `available` is what was left of its allocation. */
  dropId: Schema.optional(DropId),
});
export type InsufficientStock = typeof InsufficientStock.Type;

export const UnknownReservation = Schema.TaggedStruct('UnknownReservation', {
  sku: Sku,
  reservationId: ReservationId,
});
export type UnknownReservation = typeof UnknownReservation.Type;

/** The hold reached its `expiresAt` (whether or not the timer has released it yet). */
export const ReservationAlreadyExpired = Schema.TaggedStruct('ReservationAlreadyExpired', {
  sku: Sku,
  reservationId: ReservationId,
  expiresAt: EpochMillis,
});
export type ReservationAlreadyExpired = typeof ReservationAlreadyExpired.Type;

export const ReservationAlreadyReleased = Schema.TaggedStruct('ReservationAlreadyReleased', {
  sku: Sku,
  reservationId: ReservationId,
});
export type ReservationAlreadyReleased = typeof ReservationAlreadyReleased.Type;

export const ReservationAlreadyCommitted = Schema.TaggedStruct('ReservationAlreadyCommitted', {
  sku: Sku,
  reservationId: ReservationId,
});
export type ReservationAlreadyCommitted = typeof ReservationAlreadyCommitted.Type;

/** The reservation id is taken by a hold with other terms (quantity or location). */
export const ReservationIdConflict = Schema.TaggedStruct('ReservationIdConflict', {
  sku: Sku,
  reservationId: ReservationId,
});
export type ReservationIdConflict = typeof ReservationIdConflict.Type;

/** The actor's timer fired early (clock skew between decide and the timer): try again later. */
export const ExpiryNotDue = Schema.TaggedStruct('ExpiryNotDue', {
  sku: Sku,
  reservationId: ReservationId,
  expiresAt: EpochMillis,
});
export type ExpiryNotDue = typeof ExpiryNotDue.Type;

/** A hold in a drop before its `opensAt`. */
export const DropNotOpen = Schema.TaggedStruct('DropNotOpen', { sku: Sku, dropId: DropId, opensAt: EpochMillis });
export type DropNotOpen = typeof DropNotOpen.Type;

/** A hold in a drop after its `closesAt` or its close; or a change to a closed drop. */
export const DropAlreadyClosed = Schema.TaggedStruct('DropAlreadyClosed', { sku: Sku, dropId: DropId });
export type DropAlreadyClosed = typeof DropAlreadyClosed.Type;

/** The customer's holds and purchases in the drop plus this hold would pass the limit per customer. */
export const LimitExceeded = Schema.TaggedStruct('LimitExceeded', {
  sku: Sku,
  dropId: DropId,
  customerId: CustomerId,
  requested: Schema.Int,
  /** Units the customer may still hold in this drop. */
  allowed: Schema.Int,
  limitPerCustomer: Schema.Int,
});
export type LimitExceeded = typeof LimitExceeded.Type;

/** The SKU is not part of the drop the command names. */
export const NotInDrop = Schema.TaggedStruct('NotInDrop', { sku: Sku, dropId: DropId });
export type NotInDrop = typeof NotInDrop.Type;

/** A hold in a drop must say whose it is (the limit is per customer). */
export const CustomerRequired = Schema.TaggedStruct('CustomerRequired', { sku: Sku, dropId: DropId });
export type CustomerRequired = typeof CustomerRequired.Type;

/** A change to a drop its state does not allow (lowering an open drop, moving its opening, ...): `why`. */
export const DropChangeRefused = Schema.TaggedStruct('DropChangeRefused', { sku: Sku, dropId: DropId, why: Schema.String });
export type DropChangeRefused = typeof DropChangeRefused.Type;

/** A stocktake that named the on-hand it expected, and the actor holds another (it moved since): nothing changed. */
export const CountStale = Schema.TaggedStruct('CountStale', { sku: Sku, location: LocationId, expectedOnHand: Schema.Int, onHand: Schema.Int });
export type CountStale = typeof CountStale.Type;

/** A lot code this SKU already knows with another best-before: a code names one lot. */
export const LotMismatch = Schema.TaggedStruct('LotMismatch', { sku: Sku, lot: LotCode, bestBefore: CalendarDate, given: CalendarDate });
export type LotMismatch = typeof LotMismatch.Type;

/** No lot with this code was ever received for this SKU. */
export const UnknownLot = Schema.TaggedStruct('UnknownLot', { sku: Sku, lot: LotCode });
export type UnknownLot = typeof UnknownLot.Type;

export const Rejection = Schema.Union(
  InsufficientStock,
  UnknownReservation,
  ReservationAlreadyExpired,
  ReservationAlreadyReleased,
  ReservationAlreadyCommitted,
  ReservationIdConflict,
  ExpiryNotDue,
  DropNotOpen,
  DropAlreadyClosed,
  LimitExceeded,
  NotInDrop,
  CustomerRequired,
  DropChangeRefused,
  CountStale,
  LotMismatch,
  UnknownLot,
);

/** The refusals of a hold by a rule of its drop (each its own problem type over HTTP). */
export type DropRefusal = DropNotOpen | DropAlreadyClosed | LimitExceeded | NotInDrop | CustomerRequired;
export const isDropRefusal = (r: Rejection): r is DropRefusal =>
  r._tag === 'DropNotOpen' || r._tag === 'DropAlreadyClosed' || r._tag === 'LimitExceeded' || r._tag === 'NotInDrop' || r._tag === 'CustomerRequired';
export type Rejection = typeof Rejection.Type;
export type RejectionTag = Rejection['_tag'];
