// Events of the inventory decider (past-tense names): the journal and the audit ledger. Every
// event says who (`actor`), why (`reason`), a `reference`, when (`at`), and the levels of its
// location before and after it.
import { Schema } from 'effect';
import { AdjustReason, CloseDropReason, ReleaseReason } from './Commands.js';
import { Actor, CommandId, CustomerId, DropId, LocationId, OrderId, Reference, ReservationId, Sku } from './Ids.js';
import { Delta, EpochMillis, Quantity, Units } from './Quantities.js';
import { StockLevels } from './StockLevels.js';
import { CalendarDate, ChannelTerms, LotCode, LotInfo } from './Lots/Lot.js';

/** Units taken from one lot. */
export const LotTake = Schema.Struct({ lot: LotCode, qty: Quantity });
export type LotTake = typeof LotTake.Type;
/** What a commit, sale or reduction took, lot by lot (first expired, first out); `unassigned`: units no lot covered. */
const lotsTaken = {
  lots: Schema.optionalWith(Schema.Array(LotTake), { exact: true }),
  unassigned: Schema.optionalWith(Quantity, { exact: true }),
  /** Units (within `lots`) taken from lots out of sale or short of the channel's shelf life: no qualifying lot was left. */
  outOfPolicy: Schema.optionalWith(Quantity, { exact: true }),
};

const meta = {
  commandId: CommandId,
  actor: Actor,
  at: EpochMillis,
  sku: Sku,
  location: LocationId,
  reference: Schema.optional(Reference),
  before: StockLevels,
  after: StockLevels,
};

export const StockReserved = Schema.TaggedStruct('StockReserved', {
  ...meta,
  reason: Schema.Literal('checkout'),
  reservationId: ReservationId,
  qty: Quantity,
  expiresAt: EpochMillis,
  orderId: Schema.optional(OrderId),
  customerId: Schema.optional(CustomerId),
  /** The hold took its units from this drop's allocation. */
  dropId: Schema.optional(DropId),
  /** Its channel's shelf-life terms, and the earliest best-before it may ship with (when a channel was named). */
  channel: Schema.optional(ChannelTerms),
  sellableFrom: Schema.optional(CalendarDate),
});
export type StockReserved = typeof StockReserved.Type;

/**
 * A hold refused for want of stock or by a rule of its drop, recorded (it moves nothing) so that the
 * same hold asked again — a client's retry with its Idempotency-Key, even a day later — gets the same
 * refusal, never a hold; and so a drop's lost demand survives restarts. `available`: the units free
 * then (in the drop: of its allocation; for `limit_exceeded`: the units the customer could still hold).
 */
export const ReservationRefused = Schema.TaggedStruct('ReservationRefused', {
  ...meta,
  reason: Schema.Literal('insufficient_stock', 'drop_not_open', 'drop_closed', 'limit_exceeded'),
  reservationId: ReservationId,
  requested: Quantity,
  available: Schema.Int,
  dropId: Schema.optional(DropId),
  customerId: Schema.optional(CustomerId),
});
export type ReservationRefused = typeof ReservationRefused.Type;

export const ReservationCommitted = Schema.TaggedStruct('ReservationCommitted', {
  ...meta,
  reason: Schema.Literal('payment_captured'),
  reservationId: ReservationId,
  qty: Quantity,
  ...lotsTaken,
  /** Copied from the hold, so a recall trace reads one row per committed line. */
  orderId: Schema.optional(OrderId),
  customerId: Schema.optional(CustomerId),
  channel: Schema.optional(ChannelTerms),
});
export type ReservationCommitted = typeof ReservationCommitted.Type;

export const ReservationReleased = Schema.TaggedStruct('ReservationReleased', {
  ...meta,
  reason: ReleaseReason,
  reservationId: ReservationId,
  qty: Quantity,
});
export type ReservationReleased = typeof ReservationReleased.Type;

export const ReservationExtended = Schema.TaggedStruct('ReservationExtended', {
  ...meta,
  reason: Schema.Literal('extended'),
  reservationId: ReservationId,
  previousExpiresAt: EpochMillis,
  expiresAt: EpochMillis,
});
export type ReservationExtended = typeof ReservationExtended.Type;

export const ReservationExpired = Schema.TaggedStruct('ReservationExpired', {
  ...meta,
  reason: Schema.Literal('expired'),
  reservationId: ReservationId,
  qty: Quantity,
});
export type ReservationExpired = typeof ReservationExpired.Type;

export const SaleRecorded = Schema.TaggedStruct('SaleRecorded', {
  ...meta,
  reason: Schema.Literal('order_completed'),
  orderId: OrderId,
  qty: Quantity,
  ...lotsTaken,
  channel: Schema.optional(ChannelTerms),
});
export type SaleRecorded = typeof SaleRecorded.Type;

/** A physical reduction took more units than nobody held: counted, never hidden. Moves nothing. */
export const ShortfallRecorded = Schema.TaggedStruct('ShortfallRecorded', {
  ...meta,
  reason: Schema.Literal('sale_without_stock', 'adjustment_without_stock', 'count_below_held'),
  shortfall: Quantity,
});
export type ShortfallRecorded = typeof ShortfallRecorded.Type;

export const StockRestocked = Schema.TaggedStruct('StockRestocked', {
  ...meta,
  reason: Schema.Literal('restock'),
  qty: Quantity,
  lot: Schema.optional(LotInfo),
});
export type StockRestocked = typeof StockRestocked.Type;

export const StockAdjusted = Schema.TaggedStruct('StockAdjusted', {
  ...meta,
  reason: AdjustReason,
  delta: Delta,
  /** The lots the change went to (a reduction: what it took from each). */
  lots: Schema.optionalWith(Schema.Array(LotTake), { exact: true }),
});
export type StockAdjusted = typeof StockAdjusted.Type;

/**
 * A stocktake applied: on hand becomes `counted`; `expected` is what the actor held on hand when it
 * decided, `difference` = counted − expected (0 when the count matched: recorded all the same).
 */
export const StockCounted = Schema.TaggedStruct('StockCounted', {
  ...meta,
  reason: Schema.Literal('stocktake'),
  counted: Units,
  expected: Schema.Int,
  difference: Schema.Int,
  /** A count below on hand: what it took from each lot (units without a lot first). */
  lots: Schema.optionalWith(Schema.Array(LotTake), { exact: true }),
  /** A count of this one lot: `counted`, `expected` and `difference` are its units, and on hand moved by the difference. */
  lot: Schema.optionalWith(LotCode, { exact: true }),
});
export type StockCounted = typeof StockCounted.Type;

export const ReturnReceived = Schema.TaggedStruct('ReturnReceived', {
  ...meta,
  reason: Schema.Literal('return_restocked', 'return_not_restockable'),
  orderId: OrderId,
  qty: Quantity,
  restockable: Schema.Boolean,
  lot: Schema.optional(LotInfo),
});
export type ReturnReceived = typeof ReturnReceived.Type;

export const StockPolicySet = Schema.TaggedStruct('StockPolicySet', {
  ...meta,
  reason: Schema.Literal('policy'),
  safetyStock: Units,
  lowStockThreshold: Schema.NullOr(Units),
  previousLowStockThreshold: Schema.NullOr(Units),
  /** The SKU's lot policy after it (absent: unchanged, none before lots). */
  alertDays: Schema.optionalWith(Schema.NullOr(Schema.Int), { exact: true }),
  removalDays: Schema.optionalWith(Schema.NullOr(Schema.Int), { exact: true }),
});
export type StockPolicySet = typeof StockPolicySet.Type;

/** Units ring-fenced for a drop, or its terms changed: `added` units moved between general stock and the allocation. */
export const DropAllocated = Schema.TaggedStruct('DropAllocated', {
  ...meta,
  reason: Schema.Literal('drop_allocated', 'drop_reverted'),
  dropId: DropId,
  opensAt: EpochMillis,
  closesAt: EpochMillis,
  allocation: Quantity,
  previousAllocation: Schema.Int.pipe(Schema.nonNegative()),
  added: Schema.Int,
  limitPerCustomer: Quantity,
});
export type DropAllocated = typeof DropAllocated.Type;

/** A drop this SKU had just joined, taken back (another SKU of it refused): its units go back to general stock. */
export const DropWithdrawn = Schema.TaggedStruct('DropWithdrawn', {
  ...meta,
  reason: Schema.Literal('drop_withdrawn'),
  dropId: DropId,
  returned: Schema.Int.pipe(Schema.nonNegative()),
});
export type DropWithdrawn = typeof DropWithdrawn.Type;

/** The drop reached `opensAt` (recorded by the first decision at or after it). Moves nothing. */
export const DropOpened = Schema.TaggedStruct('DropOpened', {
  ...meta,
  reason: Schema.Literal('drop_opened'),
  dropId: DropId,
});
export type DropOpened = typeof DropOpened.Type;

/** The last free unit of the drop's allocation was held (recorded once). Moves nothing. */
export const DropSoldOut = Schema.TaggedStruct('DropSoldOut', {
  ...meta,
  reason: Schema.Literal('drop_sold_out'),
  dropId: DropId,
});
export type DropSoldOut = typeof DropSoldOut.Type;

/** The drop closed here: `returned` unsold units went back to general stock in this one event. */
export const DropClosed = Schema.TaggedStruct('DropClosed', {
  ...meta,
  reason: CloseDropReason,
  dropId: DropId,
  returned: Schema.Int.pipe(Schema.nonNegative()),
});
export type DropClosed = typeof DropClosed.Type;

/** A lot taken out of sale at this location (one event per location, in one append): `units` on hand then. */
export const LotQuarantined = Schema.TaggedStruct('LotQuarantined', {
  ...meta,
  reason: Schema.Literal('lot_quarantined'),
  lot: LotCode,
  units: Units,
  note: Schema.String,
});
export type LotQuarantined = typeof LotQuarantined.Type;

/** A quarantined lot back on sale here: `units` returned to sale. */
export const LotReleased = Schema.TaggedStruct('LotReleased', {
  ...meta,
  reason: Schema.Literal('lot_released'),
  lot: LotCode,
  units: Units,
  note: Schema.String,
});
export type LotReleased = typeof LotReleased.Type;

/** The lot reached its alert date (best-before − alertDays): recorded once per lot. Moves nothing. */
export const LotExpiring = Schema.TaggedStruct('LotExpiring', {
  ...meta,
  reason: Schema.Literal('lot_expiring'),
  lot: LotCode,
  bestBefore: CalendarDate,
  alertDays: Schema.Int,
});
export type LotExpiring = typeof LotExpiring.Type;

/** The lot reached its removal date (best-before − removalDays): its `units` here leave sale. */
export const LotRemovedFromSale = Schema.TaggedStruct('LotRemovedFromSale', {
  ...meta,
  reason: Schema.Literal('lot_removal_date'),
  lot: LotCode,
  bestBefore: CalendarDate,
  units: Units,
});
export type LotRemovedFromSale = typeof LotRemovedFromSale.Type;

export const Event = Schema.Union(
  StockReserved,
  ReservationRefused,
  ReservationCommitted,
  ReservationReleased,
  ReservationExtended,
  ReservationExpired,
  SaleRecorded,
  ShortfallRecorded,
  StockRestocked,
  StockAdjusted,
  StockCounted,
  ReturnReceived,
  StockPolicySet,
  DropAllocated,
  DropWithdrawn,
  DropOpened,
  DropSoldOut,
  DropClosed,
  LotQuarantined,
  LotReleased,
  LotExpiring,
  LotRemovedFromSale,
);
export type Event = typeof Event.Type;
export type EventTag = Event['_tag'];
