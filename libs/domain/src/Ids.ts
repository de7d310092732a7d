// Identifiers of the inventory domain, as branded schemas. The SKU and location formats are
// deliberately narrow: they become NATS subject tokens and KV keys, so `.`, `*`, `>`, spaces and
// control characters can never appear in them.
import { Schema } from 'effect';

/** Letters, digits, `_` and `-`; starts with a letter or digit; 1–64 characters. */
export const SkuPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const Sku = Schema.String.pipe(
  Schema.pattern(SkuPattern, {
    message: () =>
      'a SKU is 1–64 characters of letters, digits, "_" or "-", starting with a letter or digit (no ".", "*", ">", spaces or control characters)',
  }),
  Schema.brand('Sku'),
);
export type Sku = typeof Sku.Type;

export const LocationId = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9][a-z0-9_-]{0,31}$/, {
    message: () => 'a location is 1–32 characters of lowercase letters, digits, "_" or "-"',
  }),
  Schema.brand('LocationId'),
);
export type LocationId = typeof LocationId.Type;

/** Where stock lives when a command names no location. */
export const DefaultLocation: LocationId = LocationId.make('main');

const opaqueId = (brand: string, max: number) =>
  Schema.String.pipe(
    Schema.minLength(1),
    Schema.maxLength(max),
    Schema.pattern(/^[\x21-\x7e]+$/, { message: () => `${brand} is printable ASCII without spaces` }),
  );

export const CommandId = opaqueId('a command id', 200).pipe(Schema.brand('CommandId'));
export type CommandId = typeof CommandId.Type;

export const ReservationId = opaqueId('a reservation id', 128).pipe(Schema.brand('ReservationId'));
export type ReservationId = typeof ReservationId.Type;

export const OrderId = opaqueId('an order id', 128).pipe(Schema.brand('OrderId'));
export type OrderId = typeof OrderId.Type;

export const CustomerId = opaqueId('a customer id', 128).pipe(Schema.brand('CustomerId'));
export type CustomerId = typeof CustomerId.Type;

/** Who asked: `apikey:<name>`, `user:<sub>`, `service:<name>` or `system:<part>`. */
export const Actor = Schema.String.pipe(
  Schema.pattern(/^(apikey|user|service|system):[\x21-\x7e]{1,200}$/, {
    message: () => 'an actor is "<apikey|user|service|system>:<id>"',
  }),
  Schema.brand('Actor'),
);
export type Actor = typeof Actor.Type;

/** A free-text business reference (purchase order, delivery note, order id). */
export const Reference = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200), Schema.brand('Reference'));
export type Reference = typeof Reference.Type;

/** A drop (a limited run that opens at a set minute): the SKU format, as it becomes a subject token. */
export const DropId = Schema.String.pipe(
  Schema.pattern(SkuPattern, {
    message: () => 'a drop id is 1–64 characters of letters, digits, "_" or "-", starting with a letter or digit',
  }),
  Schema.brand('DropId'),
);
export type DropId = typeof DropId.Type;
