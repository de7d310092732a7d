// The quantities of one SKU at one location, and the availability rule of DESIGN.md §5 and §10 (drops).
import { Schema } from 'effect';

/**
 * onHand may go below zero (a sale reported without a hold); reserved never does. `allocated`: units
 * ring-fenced for drops and not yet held there (absent when none, so levels written before drops
 * existed read the same).
 */
export const StockLevels = Schema.Struct({
  onHand: Schema.Int,
  reserved: Schema.Int.pipe(Schema.nonNegative()),
  safetyStock: Schema.Int.pipe(Schema.nonNegative()),
  allocated: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { exact: true }),
  /** Units of lots out of sale here (quarantined, or past their removal date): on hand, never sellable (absent when none). */
  blocked: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { exact: true }),
});
export type StockLevels = typeof StockLevels.Type;

export const emptyLevels: StockLevels = { onHand: 0, reserved: 0, safetyStock: 0 };

export const allocatedOf = (levels: StockLevels): number => levels.allocated ?? 0;

export const blockedOf = (levels: StockLevels): number => levels.blocked ?? 0;

/** The same levels with `blocked` units out of sale (the field left out at 0). */
export const withBlocked = <L extends StockLevels>(levels: L, blocked: number): L => {
  const next: { -readonly [K in keyof L]: L[K] } = { ...levels, blocked };
  if (blocked === 0) delete next.blocked;
  return next;
};

/** The same levels with `allocated` ring-fenced units (the field left out at 0). */
export const withAllocated = <L extends StockLevels>(levels: L, allocated: number): L => {
  const next: { -readonly [K in keyof L]: L[K] } = { ...levels, allocated };
  // A fresh object: left out at 0 so levels without drops encode exactly as before drops existed.
  if (allocated === 0) delete next.allocated;
  return next;
};

/** Units physically free: onHand − reserved − safetyStock, never below 0 (a drop's holds take from these). */
export const unheld = (levels: StockLevels): number => Math.max(0, levels.onHand - levels.reserved - levels.safetyStock - blockedOf(levels));

/** Units free for a new hold outside any drop: onHand − reserved − safetyStock − blocked − allocated, never below 0. */
export const available = (levels: StockLevels): number => Math.max(0, unheld(levels) - allocatedOf(levels));

/** Units a physical reduction of `units` takes beyond the stock nobody holds: the shortfall. */
export const shortfallOf = (levels: StockLevels, units: number): number =>
  Math.max(0, units - Math.max(0, levels.onHand - levels.reserved));
