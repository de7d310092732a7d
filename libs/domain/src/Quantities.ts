// Quantities and time values carried by commands and events. Bounds keep every sum far inside
// JavaScript's safe integer range, so arithmetic on stock is exact.
import { Schema } from 'effect';

export const MaxQuantity = 1_000_000;

/** A positive whole number of units, at most `MaxQuantity`. */
export const Quantity = Schema.Int.pipe(Schema.between(1, MaxQuantity), Schema.brand('Quantity'));
export type Quantity = typeof Quantity.Type;

/** A non-zero signed change of on-hand units (adjustments). */
export const Delta = Schema.Int.pipe(
  Schema.between(-MaxQuantity, MaxQuantity),
  Schema.filter((n) => n !== 0 || 'a delta is never 0'),
  Schema.brand('Delta'),
);
export type Delta = typeof Delta.Type;

/** A non-negative whole number of units (policies such as safety stock). */
export const Units = Schema.Int.pipe(Schema.between(0, MaxQuantity), Schema.brand('Units'));
export type Units = typeof Units.Type;

/** Milliseconds since the Unix epoch; the shell stamps it from its clock. */
export const EpochMillis = Schema.Int.pipe(Schema.nonNegative(), Schema.brand('EpochMillis'));
export type EpochMillis = typeof EpochMillis.Type;

// Short holds keep crash and expiry tests fast; the API sets its own, stricter floor for checkout.
export const MinTtlSeconds = 1;
export const MaxTtlSeconds = 24 * 60 * 60;
export const DefaultTtlSeconds = 15 * 60;

/** How long a hold lasts before it expires by itself. */
export const TtlSeconds = Schema.Int.pipe(Schema.between(MinTtlSeconds, MaxTtlSeconds), Schema.brand('TtlSeconds'));
export type TtlSeconds = typeof TtlSeconds.Type;

export const plusSeconds = (at: EpochMillis, seconds: TtlSeconds): EpochMillis => EpochMillis.make(at + seconds * 1000);
