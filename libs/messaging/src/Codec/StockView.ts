// The read projection of one SKU: the value under key `<sku>` in KV bucket `stock` (and mirrored in
// Redis), which the API's cache serves. Written only by the projector; read tolerantly.
import { EpochMillis, LocationId, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { JournalSequence } from './JournalSequence.js';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

const Units = Schema.Int.pipe(Schema.nonNegative());

/**
 * `in_stock`: available above the low-stock threshold (or no threshold);
 * `low`: 0 < available ≤ lowStockThreshold; `out`: available is 0.
 */
export const StockStatus = Schema.Literal('in_stock', 'low', 'out');
export type StockStatus = typeof StockStatus.Type;

/** The levels and policy of one stock location. */
export const StockViewLocation = Schema.Struct({
  location: LocationId,
  /** Units physically present; negative after a sale reported without stock. */
  onHand: Schema.Int,
  /** Units held by open reservations. */
  reserved: Units,
  /** Units kept back from sale. */
  safetyStock: Units,
  /** max(0, onHand − reserved − safetyStock): units free for a new hold here. */
  available: Units,
  /** At or below this (and above 0) the location is low; null when no threshold is set. */
  lowStockThreshold: Schema.NullOr(Units),
});
export type StockViewLocation = typeof StockViewLocation.Type;

/**
 * One SKU as readers see it. Totals over `locations` at the top:
 *
 * - `v`: wire version, always 1 for this shape.
 * - `seq`: the journal (INV_EVT) sequence of the last append folded in. Per SKU it only grows, so
 *   a reader (or a writer) keeps the highest and ignores older ones.
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
  seq: JournalSequence,
  asOf: EpochMillis,
  onHand: Schema.Int,
  reserved: Units,
  safetyStock: Units,
  available: Units,
  status: StockStatus,
  lowStockThreshold: Schema.NullOr(Units),
  shortfall: Units,
  locations: Schema.Array(StockViewLocation),
});
export type StockView = typeof StockView.Type;

const codec = makeJsonCodec(StockView, { name: 'StockView', onExcessProperty: 'ignore', encode: 'plain' });

export const encodeStockView = codec.encode;
export const decodeStockView = codec.decode;
