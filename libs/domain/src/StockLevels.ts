// The quantities of one SKU at one location, and the availability rule of DESIGN.md §5.
import { Schema } from 'effect';

/** onHand may go below zero (a sale reported without a hold); reserved never does. */
export const StockLevels = Schema.Struct({
  onHand: Schema.Int,
  reserved: Schema.Int.pipe(Schema.nonNegative()),
  safetyStock: Schema.Int.pipe(Schema.nonNegative()),
});
export type StockLevels = typeof StockLevels.Type;

export const emptyLevels: StockLevels = { onHand: 0, reserved: 0, safetyStock: 0 };

/** Units free for a new hold: onHand − reserved − safetyStock, never below 0. */
export const available = (levels: StockLevels): number =>
  Math.max(0, levels.onHand - levels.reserved - levels.safetyStock);

/** Units a physical reduction of `units` takes beyond the stock nobody holds: the shortfall. */
export const shortfallOf = (levels: StockLevels, units: number): number =>
  Math.max(0, units - Math.max(0, levels.onHand - levels.reserved));
