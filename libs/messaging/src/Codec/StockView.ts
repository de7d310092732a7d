// The read projection of one SKU: the value under key `<sku>` in KV bucket `stock` (and mirrored in
// Redis), which the API's cache serves. Written only by the projector; read tolerantly.
import { CalendarDate, DropId, EpochMillis, LocationId, LotCode, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

const Units = Schema.Int.pipe(Schema.nonNegative());

/**
 * `in_stock`: available above the low-stock threshold (or no threshold);
 * `low`: 0 < available ≤ lowStockThreshold; `out`: available is 0.
 */
export const StockStatus = Schema.Literal('in_stock', 'low', 'out');
export type StockStatus = typeof StockStatus.Type;

/** `sellable`, or out of sale: `quarantined` (POST /v1/lots/{sku}/{code}/quarantine) or `removed` (its removal date came). */
export const LotSaleStatus = Schema.Literal('sellable', 'quarantined', 'removed');

/** One lot's units at a location. */
export const StockViewLot = Schema.Struct({
  code: LotCode,
  bestBefore: CalendarDate,
  producedOn: Schema.NullOr(CalendarDate),
  onHand: Schema.Int,
  status: LotSaleStatus,
});
export type StockViewLot = typeof StockViewLot.Type;

/** Open holds that need a shelf life, by the earliest best-before they may ship with (for per-channel availability). */
export const StockViewShelfHold = Schema.Struct({ from: CalendarDate, qty: Units });

/** The levels and policy of one stock location. */
export const StockViewLocation = Schema.Struct({
  location: LocationId,
  /** Units physically present; negative after a sale reported without stock. */
  onHand: Schema.Int,
  /** Units held by open reservations. */
  reserved: Units,
  /** Units kept back from sale. */
  safetyStock: Units,
  /** Units ring-fenced for drops here and not yet held (absent in views written before drops: 0). */
  allocated: Schema.optionalWith(Units, { default: () => 0 }),
  /** max(0, onHand − reserved − safetyStock − blocked − allocated): units free for a new hold here (outside any drop). */
  available: Units,
  /** At or below this (and above 0) the location is low; null when no threshold is set. */
  lowStockThreshold: Schema.NullOr(Units),
  /** Units of lots out of sale here (quarantined or past removal): on hand, not available. */
  blocked: Schema.optionalWith(Units, { default: () => 0 }),
  /** The lots here, earliest best-before first (none for stock received without lots). */
  lots: Schema.optionalWith(Schema.Array(StockViewLot), { default: () => [] }),
  /** Open holds here that need a shelf life (placed on a channel), summed by their earliest best-before. */
  heldFrom: Schema.optionalWith(Schema.Array(StockViewShelfHold), { default: () => [] }),
});
export type StockViewLocation = typeof StockViewLocation.Type;

/** `scheduled` before `opensAt`, `open` until `closesAt` or a close, then `closed`. */
export const DropState = Schema.Literal('scheduled', 'open', 'closed');
export type DropState = typeof DropState.Type;

/**
 * This SKU's share of one drop (DESIGN.md §10), as its actor holds it:
 * `allocation` units ring-fenced in all; `held` by open holds of the drop; `committed` (bought, for
 * good); `remaining` free in the allocation (0 once closed); `returned` to general stock at the close;
 * `soldOutAt` when the last free unit was first held; `buyers` distinct customers holding or having
 * bought; `refusedCustomers` / `refusedUnits` lost demand (refused after the sell-out, each customer once).
 * The drop's `state` at a moment is told from `opensAt`, `closesAt` and `closedAt` (see `dropStateAt`).
 */
export const StockViewDrop = Schema.Struct({
  dropId: DropId,
  location: LocationId,
  opensAt: EpochMillis,
  closesAt: EpochMillis,
  openedAt: Schema.NullOr(EpochMillis),
  closedAt: Schema.NullOr(EpochMillis),
  limitPerCustomer: Schema.Int,
  allocation: Units,
  held: Units,
  committed: Units,
  remaining: Units,
  returned: Units,
  soldOutAt: Schema.NullOr(EpochMillis),
  buyers: Units,
  refusedCustomers: Units,
  refusedUnits: Units,
});
export type StockViewDrop = typeof StockViewDrop.Type;

/** A drop's state at `now` (epoch ms). */
export const dropStateAt = (drop: { readonly opensAt: number; readonly closesAt: number; readonly closedAt: number | null }, now: number): DropState => {
  if (drop.closedAt !== null || now >= drop.closesAt) return 'closed';
  return now >= drop.opensAt ? 'open' : 'scheduled';
};

/** One component of a pack as its view was computed: units per pack, the component's available and version. */
export const StockViewComponent = Schema.Struct({
  sku: Sku,
  qty: Schema.Int.pipe(Schema.positive()),
  available: Units,
  /** 0 while the component has no stock view yet. */
  seq: Schema.Int.pipe(Schema.nonNegative()),
});
export type StockViewComponent = typeof StockViewComponent.Type;

/**
 * `sku`: a SKU with stock of its own (a journal, an actor). `pack`: a variety pack made of `components`
 * (DESIGN.md §10 "Packs"), written by the pack projector: `available` = min over components of
 * floor(available ÷ per-pack qty) (per location likewise), `onHand` the same over on-hand, `reserved`
 * and `safetyStock` 0 (a pack holds nothing itself: its holds are its components'), `seq` and `asOf`
 * those of its oldest component (a pack view is as fresh as its stalest part).
 */
export const StockViewKind = Schema.Literal('sku', 'pack');
export type StockViewKind = typeof StockViewKind.Type;

/**
 * One SKU as readers see it. Totals over `locations` at the top:
 *
 * - `v`: wire version, always 1 for this shape.
 * - `seq`: the journal (INV_EVT) sequence of the last append folded in. Per SKU it only grows, so
 *   a reader (or a writer) keeps the highest and ignores older ones. A pack's is its oldest
 *   component's: it may go down when another component becomes the oldest (a reader keeps a pack's
 *   newest view as written), and it is 0 while a component has no stock yet.
 * - `asOf`: when the last event folded in happened (epoch ms, the command's time).
 * - `onHand`, `reserved`, `safetyStock`: sums over locations.
 * - `available`: the sum of each location's `available` (not recomputed from the totals: a
 *   location below zero does not take free units away from another location).
 * - `lowStockThreshold`: the sum of the thresholds of the locations that have one; null when none has.
 * - `status`: `out` when `available` is 0, else `low` when `available` ≤ `lowStockThreshold`,
 *   else `in_stock`.
 * - `shortfall`: units of physical stock missing to cover what is held, over all locations:
 *   Σ max(0, reserved − onHand). It is > 0 only when a location has fewer units on hand than its
 *   open holds (including a negative onHand with no hold: −onHand units are missing).
 * - `locations`: every location the SKU has ever had stock or policy at, sorted by name.
 *
 * Every quantity is a whole number of units.
 */
export const StockView = Schema.Struct({
  v: WireVersion,
  sku: Sku,
  /** Absent in views written before packs: `sku`. */
  kind: Schema.optionalWith(StockViewKind, { default: () => 'sku' as const }),
  /** A SKU's journal sequence (≥ 1); a pack's oldest component's, 0 while a component has none. */
  seq: Schema.Int.pipe(Schema.nonNegative()),
  asOf: EpochMillis,
  onHand: Schema.Int,
  reserved: Units,
  safetyStock: Units,
  available: Units,
  status: StockStatus,
  lowStockThreshold: Schema.NullOr(Units),
  shortfall: Units,
  /** Units ring-fenced for drops and not yet held, over all locations (0 in views written before drops). */
  allocated: Schema.optionalWith(Units, { default: () => 0 }),
  locations: Schema.Array(StockViewLocation),
  /** Every drop this SKU is or was part of, by drop id (none in views written before drops). */
  drops: Schema.optionalWith(Schema.Array(StockViewDrop), { default: () => [] }),
  /** A pack's components (none for a SKU). */
  components: Schema.optionalWith(Schema.Array(StockViewComponent), { default: () => [] }),
});
export type StockView = typeof StockView.Type;

const codec = makeJsonCodec(StockView, { name: 'StockView', onExcessProperty: 'ignore', encode: 'plain' });

export const encodeStockView = codec.encode;
export const decodeStockView = codec.decode;
