// Why a command was refused, as values named after the refused fact. A rejection changes nothing
// and needs no append; it is the reply.
import { Schema } from 'effect';
import { LocationId, ReservationId, Sku } from './Ids.js';
import { EpochMillis } from './Quantities.js';

export const InsufficientStock = Schema.TaggedStruct('InsufficientStock', {
  sku: Sku,
  location: LocationId,
  requested: Schema.Int,
  available: Schema.Int,
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

export const Rejection = Schema.Union(
  InsufficientStock,
  UnknownReservation,
  ReservationAlreadyExpired,
  ReservationAlreadyReleased,
  ReservationAlreadyCommitted,
  ReservationIdConflict,
  ExpiryNotDue,
);
export type Rejection = typeof Rejection.Type;
export type RejectionTag = Rejection['_tag'];
