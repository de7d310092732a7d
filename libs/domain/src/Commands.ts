// Commands of the inventory decider (imperative names). Each carries its id, who asked, when
// (stamped by the shell from its clock) and the SKU it is addressed to.
import { Schema } from 'effect';
import { Actor, CommandId, CustomerId, LocationId, OrderId, Reference, ReservationId, Sku } from './Ids.js';
import { Delta, EpochMillis, Quantity, TtlSeconds, Units } from './Quantities.js';

const envelope = {
  commandId: CommandId,
  actor: Actor,
  now: EpochMillis,
  sku: Sku,
};
const at = { location: Schema.optional(LocationId) };

export const ReserveStock = Schema.TaggedStruct('ReserveStock', {
  ...envelope,
  ...at,
  reservationId: ReservationId,
  qty: Quantity,
  ttlSeconds: TtlSeconds,
  orderId: Schema.optional(OrderId),
  customerId: Schema.optional(CustomerId),
});
export type ReserveStock = typeof ReserveStock.Type;

export const CommitReservation = Schema.TaggedStruct('CommitReservation', {
  ...envelope,
  reservationId: ReservationId,
  reference: Schema.optional(Reference),
});
export type CommitReservation = typeof CommitReservation.Type;

export const ReleaseReasons = ['cancelled', 'payment_failed', 'abandoned', 'compensation'] as const;
export const ReleaseReason = Schema.Literal(...ReleaseReasons);
export type ReleaseReason = typeof ReleaseReason.Type;

export const ReleaseReservation = Schema.TaggedStruct('ReleaseReservation', {
  ...envelope,
  reservationId: ReservationId,
  reason: ReleaseReason,
});
export type ReleaseReservation = typeof ReleaseReservation.Type;

export const ExtendReservation = Schema.TaggedStruct('ExtendReservation', {
  ...envelope,
  reservationId: ReservationId,
  ttlSeconds: TtlSeconds,
});
export type ExtendReservation = typeof ExtendReservation.Type;

/** Issued by the actor's own timer when a hold reaches its `expiresAt`. */
export const ExpireReservation = Schema.TaggedStruct('ExpireReservation', {
  ...envelope,
  reservationId: ReservationId,
});
export type ExpireReservation = typeof ExpireReservation.Type;

/** A completed order reported after the fact, without a prior hold. */
export const RecordSale = Schema.TaggedStruct('RecordSale', {
  ...envelope,
  ...at,
  orderId: OrderId,
  qty: Quantity,
});
export type RecordSale = typeof RecordSale.Type;

export const Restock = Schema.TaggedStruct('Restock', {
  ...envelope,
  ...at,
  qty: Quantity,
  reference: Reference,
});
export type Restock = typeof Restock.Type;

export const AdjustReasons = ['damaged', 'shrinkage', 'count_correction', 'expired', 'sample', 'found', 'other'] as const;
export const AdjustReason = Schema.Literal(...AdjustReasons);
export type AdjustReason = typeof AdjustReason.Type;

export const AdjustStock = Schema.TaggedStruct('AdjustStock', {
  ...envelope,
  ...at,
  delta: Delta,
  reason: AdjustReason,
  reference: Reference,
});
export type AdjustStock = typeof AdjustStock.Type;

export const ReceiveReturn = Schema.TaggedStruct('ReceiveReturn', {
  ...envelope,
  ...at,
  orderId: OrderId,
  qty: Quantity,
  restockable: Schema.Boolean,
  reference: Reference,
});
export type ReceiveReturn = typeof ReceiveReturn.Type;

/** Sets the policy of one location; a field left out keeps its current value. */
export const SetStockPolicy = Schema.TaggedStruct('SetStockPolicy', {
  ...envelope,
  ...at,
  safetyStock: Schema.optional(Units),
  /** `null` clears the threshold (no low-stock signal). */
  lowStockThreshold: Schema.optional(Schema.NullOr(Units)),
});
export type SetStockPolicy = typeof SetStockPolicy.Type;

export const Command = Schema.Union(
  ReserveStock,
  CommitReservation,
  ReleaseReservation,
  ExtendReservation,
  ExpireReservation,
  RecordSale,
  Restock,
  AdjustStock,
  ReceiveReturn,
  SetStockPolicy,
);
export type Command = typeof Command.Type;
export type CommandTag = Command['_tag'];
