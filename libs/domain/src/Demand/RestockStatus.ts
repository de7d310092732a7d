// Where one SKU at one location stands against its replenishment policy (DESIGN.md §10 "Demand"), the
// word the analyst's page sorts and colours by. Pure.
import { Schema } from 'effect';

/**
 * - `critical`: available ≤ LT × D — it runs out before an order placed today arrives;
 * - `order_now`: available ≤ the reorder point — order today to keep the service level;
 * - `excess`: more days of cover than the excess threshold (or stock that does not sell at all);
 * - `good`: none of these;
 * - `no_history`: no day of the history shows demand (none yet, or sold out throughout): the
 *   velocity is unknown, so nothing is sized.
 * The first that holds wins, in that order (critical is the sharper order_now).
 */
export const RestockStatus = Schema.Literal('critical', 'order_now', 'excess', 'good', 'no_history');
export type RestockStatus = typeof RestockStatus.Type;

export interface StatusFigures {
  readonly daysUsed: number;
  readonly dailyDemand: number;
  readonly available: number;
  readonly leadTimeDemand: number;
  readonly reorderPoint: number;
  readonly daysOfCover: number | null;
  readonly excessDays: number;
}

export const restockStatus = (f: StatusFigures): RestockStatus => {
  if (f.daysUsed === 0) return 'no_history';
  // Without demand nothing is ordered: an empty shelf that nobody buys from is not a shortage.
  if (f.dailyDemand > 0 && f.available <= f.leadTimeDemand) return 'critical';
  if (f.dailyDemand > 0 && f.available <= f.reorderPoint) return 'order_now';
  if (f.daysOfCover === null ? f.available > 0 : f.daysOfCover > f.excessDays) return 'excess';
  return 'good';
};
