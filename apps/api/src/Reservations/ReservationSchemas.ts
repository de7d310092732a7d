// The HTTP shapes of the reservation routes: what a client sends and what it gets back. Answers are
// declared for the OpenAPI document; handlers build them with these types.
import { ChannelId, CustomerId, DefaultTtlSeconds, DropId, OrderId, ReservationId, TtlSeconds } from '@larder/domain';
import { Schema } from 'effect';
import { LineAnswer, Lines } from './Lines.js';

/** Reservation ids travel in URLs: letters, digits, "_", ".", ":" and "-" only. */
export const ApiReservationId = ReservationId.pipe(
  Schema.pattern(/^[A-Za-z0-9_.:-]{1,128}$/, { message: () => 'a reservation id is 1–128 letters, digits, "_", ".", ":" or "-"' }),
);

/** Checkout holds: one minute to one hour. */
export const ApiTtlSeconds = TtlSeconds.pipe(Schema.between(60, 3600, { message: () => 'ttlSeconds is a whole number from 60 to 3600' }));

export const ReserveRequest = Schema.Struct({
  reservationId: Schema.optional(ApiReservationId),
  orderId: Schema.optional(OrderId),
  customerId: Schema.optional(CustomerId),
  /** Hold every line from this drop's allocations (DESIGN.md §10); needs `customerId`, whose limit it counts against. */
  dropId: Schema.optional(DropId),
  /**
   * The sales channel (default `web`): the holds take only lots sellable there when they ship
   * (bestBefore − (today + handlingDays) ≥ minShelfLifeDays). A channel other than `web` must be registered.
   */
  channel: Schema.optional(ChannelId),
  lines: Lines,
  ttlSeconds: Schema.optionalWith(ApiTtlSeconds, { default: () => TtlSeconds.make(DefaultTtlSeconds) }),
})
  .pipe(
    Schema.filter(
      (r) => r.dropId === undefined || r.customerId !== undefined || { path: ['customerId'], message: 'a hold in a drop names its customer (customerId): the limit is per customer' },
    ),
  )
  .annotations({ identifier: 'ReserveRequest' });

export const ReservationParams = Schema.Struct({ id: ApiReservationId });

export const HeldAnswer = Schema.Struct({
  reservationId: Schema.String,
  status: Schema.Literal('held'),
  /** ISO 8601: when the hold lapses unless committed. */
  expiresAt: Schema.String,
  lines: Schema.Array(LineAnswer),
}).annotations({ identifier: 'ReservationHeld' });
export type HeldAnswer = typeof HeldAnswer.Type;

export const ReservationAnswer = Schema.Struct({
  reservationId: Schema.String,
  status: Schema.Literal('held', 'committed', 'released', 'expired'),
  expiresAt: Schema.String,
  lines: Schema.Array(LineAnswer),
  orderId: Schema.optional(Schema.String),
  customerId: Schema.optional(Schema.String),
  dropId: Schema.optional(Schema.String),
  /** The sales channel the hold was placed on (absent: `web`, or placed before channels). */
  channel: Schema.optional(Schema.String),
  /** A commit is stored and waits for the SKU's owner (it was answered 202). */
  commitPending: Schema.optional(Schema.Literal(true)),
  /** Once committed: the lots its units were taken from. */
  lots: Schema.optional(Schema.Array(Schema.Struct({ sku: Schema.String, lot: Schema.String, qty: Schema.Int }))),
}).annotations({ identifier: 'Reservation' });
export type ReservationAnswer = typeof ReservationAnswer.Type;

export const CommitAnswer = Schema.Struct({
  reservationId: Schema.String,
  /** `pending`: the owner did not answer in time; the commit is stored and applies exactly once. */
  status: Schema.Literal('committed', 'pending'),
  /** The lots the units were taken from, first expired first out among those sellable on the hold's channel (SKUs with lots only). */
  lots: Schema.optional(Schema.Array(Schema.Struct({ sku: Schema.String, lot: Schema.String, qty: Schema.Int }))),
}).annotations({ identifier: 'ReservationCommitted' });
export type CommitAnswer = typeof CommitAnswer.Type;

export const ReleaseAnswer = Schema.Struct({
  reservationId: Schema.String,
  status: Schema.Literal('released'),
}).annotations({ identifier: 'ReservationReleased' });
export type ReleaseAnswer = typeof ReleaseAnswer.Type;
