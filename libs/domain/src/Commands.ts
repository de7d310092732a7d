// Commands of the inventory decider (imperative names). Each carries its id, who asked, when
// (stamped by the shell from its clock) and the SKU it is addressed to.
import { Schema } from 'effect';
import { Actor, CommandId, CustomerId, DropId, LocationId, OrderId, Reference, ReservationId, Sku } from './Ids.js';
import { Delta, EpochMillis, Quantity, TtlSeconds, Units } from './Quantities.js';
import { ChannelTerms, LotCode, LotInfo } from './Lots/Lot.js';

/** Days before best-before (0–3650). */
const LotDays = Schema.Int.pipe(Schema.between(0, 3650));

const envelope = {
  commandId: CommandId,
  actor: Actor,
  now: EpochMillis,
  sku: Sku,
};
const at = { location: Schema.optional(LocationId) };
/**
 * A line without `location`: the registry's locations, highest priority first; the actor takes the
 * first that can fill the whole line (then the SKU's other locations, `main` first). Ignored when
 * `location` is given.
 */
const preference = { locations: Schema.optional(Schema.Array(LocationId)) };

export const ReserveStock = Schema.TaggedStruct('ReserveStock', {
  ...envelope,
  ...at,
  ...preference,
  reservationId: ReservationId,
  qty: Quantity,
  ttlSeconds: TtlSeconds,
  orderId: Schema.optional(OrderId),
  customerId: Schema.optional(CustomerId),
  /** Takes the units from this drop's allocation (and counts them against `customerId`'s limit). */
  dropId: Schema.optional(DropId),
  /** The sales channel and its shelf-life terms: only lots still sellable there at the ship date count. */
  channel: Schema.optional(ChannelTerms),
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
  ...preference,
  orderId: OrderId,
  qty: Quantity,
  channel: Schema.optional(ChannelTerms),
});
export type RecordSale = typeof RecordSale.Type;

export const Restock = Schema.TaggedStruct('Restock', {
  ...envelope,
  ...at,
  qty: Quantity,
  reference: Reference,
  /** The lot the units belong to (a code unique per SKU: the same code always names the same lot). */
  lot: Schema.optional(LotInfo),
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
  /** The lot whose units changed; left out: units without a lot first, then lots first-expired-first. */
  lot: Schema.optional(LotCode),
});
export type AdjustStock = typeof AdjustStock.Type;

/**
 * A stocktake: `counted` units physically found at the location. The actor turns it into the difference
 * from its own on-hand at the moment it decides, so units held or sold while the count was taken stay
 * counted (never a read-then-write by the client).
 */
export const CountStock = Schema.TaggedStruct('CountStock', {
  ...envelope,
  ...at,
  counted: Units,
  reference: Reference,
  /**
   * The on-hand the counter saw when the count began (a stock read): when given and the actor holds
   * another, the count is refused (CountStale) and nothing changes — a sale or restock recorded
   * meanwhile would otherwise be overwritten.
   */
  expectedOnHand: Schema.optional(Schema.Int),
  /** Count one lot at the location: its units become `counted` (and `expectedOnHand` is the lot's). */
  lot: Schema.optional(LotCode),
});
export type CountStock = typeof CountStock.Type;

export const ReceiveReturn = Schema.TaggedStruct('ReceiveReturn', {
  ...envelope,
  ...at,
  orderId: OrderId,
  qty: Quantity,
  restockable: Schema.Boolean,
  reference: Reference,
  /** The lot the returned units belong to (back into it when restockable). */
  lot: Schema.optional(LotInfo),
});
export type ReceiveReturn = typeof ReceiveReturn.Type;

/** Sets the policy of one location; a field left out keeps its current value. */
export const SetStockPolicy = Schema.TaggedStruct('SetStockPolicy', {
  ...envelope,
  ...at,
  safetyStock: Schema.optional(Units),
  /** `null` clears the threshold (no low-stock signal). */
  lowStockThreshold: Schema.optional(Schema.NullOr(Units)),
  /** Per SKU (every location): days before best-before a lot is announced as expiring (`null` clears). */
  alertDays: Schema.optional(Schema.NullOr(LotDays)),
  /** Per SKU: days before best-before a lot's free units leave sale (`null` clears). */
  removalDays: Schema.optional(Schema.NullOr(LotDays)),
});
export type SetStockPolicy = typeof SetStockPolicy.Type;

/**
 * Ring-fences `allocation` units of this SKU for a drop (or changes its terms). From available stock,
 * atomically; once open, only a raise of the allocation or the limit, or another `closesAt`.
 * `revert`: undo of a drop change that other SKUs refused (may lower, down to what is held and sold).
 */
export const AllocateDrop = Schema.TaggedStruct('AllocateDrop', {
  ...envelope,
  ...at,
  dropId: DropId,
  opensAt: EpochMillis,
  closesAt: EpochMillis,
  allocation: Quantity,
  limitPerCustomer: Quantity,
  revert: Schema.optional(Schema.Boolean),
});
export type AllocateDrop = typeof AllocateDrop.Type;

/** Takes back a drop this SKU just joined when another SKU of it refused (nothing held yet: it leaves no trace but the event). */
export const WithdrawDrop = Schema.TaggedStruct('WithdrawDrop', {
  ...envelope,
  dropId: DropId,
});
export type WithdrawDrop = typeof WithdrawDrop.Type;

/** Issued by the actor's own timer at `opensAt`: records the opening (for analysts). */
export const OpenDrop = Schema.TaggedStruct('OpenDrop', {
  ...envelope,
  dropId: DropId,
});
export type OpenDrop = typeof OpenDrop.Type;

export const CloseDropReasons = ['closes_at', 'closed_by_operator'] as const;
export const CloseDropReason = Schema.Literal(...CloseDropReasons);
export type CloseDropReason = typeof CloseDropReason.Type;

/** Closes a drop at this SKU: its unsold allocation goes back to general stock. By the timer at `closesAt`, or an operator. */
export const CloseDrop = Schema.TaggedStruct('CloseDrop', {
  ...envelope,
  dropId: DropId,
  reason: CloseDropReason,
});
export type CloseDrop = typeof CloseDrop.Type;

/** Takes a lot out of sale at every location and channel at once (its units stay on hand, counted). */
export const QuarantineLot = Schema.TaggedStruct('QuarantineLot', {
  ...envelope,
  lot: LotCode,
  note: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)),
});
export type QuarantineLot = typeof QuarantineLot.Type;

/** Puts back on sale exactly what the quarantine took out (less what was written off meanwhile). */
export const ReleaseLot = Schema.TaggedStruct('ReleaseLot', {
  ...envelope,
  lot: LotCode,
  note: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)),
});
export type ReleaseLot = typeof ReleaseLot.Type;

/** Issued by the actor's own timer: records lots reaching their alert or removal date. */
export const CheckLots = Schema.TaggedStruct('CheckLots', {
  ...envelope,
});
export type CheckLots = typeof CheckLots.Type;

export const Command = Schema.Union(
  ReserveStock,
  CommitReservation,
  ReleaseReservation,
  ExtendReservation,
  ExpireReservation,
  RecordSale,
  Restock,
  AdjustStock,
  CountStock,
  ReceiveReturn,
  SetStockPolicy,
  AllocateDrop,
  WithdrawDrop,
  OpenDrop,
  CloseDrop,
  QuarantineLot,
  ReleaseLot,
  CheckLots,
);
export type Command = typeof Command.Type;
export type CommandTag = Command['_tag'];
