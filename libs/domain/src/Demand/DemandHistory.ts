// The daily history behind a restock suggestion (DESIGN.md §10 "Demand"): per day, what sold, what was
// refused, and whether the SKU could be bought at all. The caller builds it from the ledger and drops.
import { Schema } from 'effect';
import { Units } from '../Quantities.js';
import { CalendarDate } from '../Lots/Lot.js';

/** One day of one SKU at one location. */
export const DemandDay = Schema.Struct({
  date: CalendarDate,
  /** Units committed (sold) that day. */
  sold: Units,
  /**
   * Whether the SKU could be bought that day. `false` when it was sold out (nothing available) for
   * the whole day or most of it: what sold then says how much stock there was, not how much demand,
   * so the day is left out of the velocity rather than counted as a slow day. The caller draws the line.
   */
  sellable: Schema.Boolean,
  /** Units refused that day because a drop had sold out (its `refusedUnits`); 0 when none. */
  lostDemand: Units,
});
export type DemandDay = typeof DemandDay.Type;

/** Days oldest first, each date once (e.g. the last 90 days before today). */
export const DemandHistory = Schema.Array(DemandDay).pipe(
  Schema.filter((days) => days.every((d, i) => i === 0 || (days[i - 1]?.date ?? '') < d.date) || 'the days are oldest first, each date once'),
);
export type DemandHistory = typeof DemandHistory.Type;

/**
 * Whether a day tells the demand: it was sellable, or a drop counted the customers it refused (the
 * demand was measured even though the shelf was empty).
 */
export const dayShowsDemand = (day: DemandDay): boolean => day.sellable || day.lostDemand > 0;

/** The demand a day shows: what sold plus what a drop refused after selling out. */
export const dayDemand = (day: DemandDay): number => day.sold + day.lostDemand;
