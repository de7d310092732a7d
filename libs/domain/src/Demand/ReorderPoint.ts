// The two quantities of a periodic-review, order-up-to policy under normally distributed daily demand
// (DESIGN.md §10 "Demand"): when to order (the reorder point) and up to what (the target). Pure.

export interface DemandOver {
  /** D: mean daily demand, units per day. */
  readonly dailyDemand: number;
  /** σ: standard deviation of daily demand, units per day. */
  readonly sigma: number;
  /** Z: the safety factor, the standard normal quantile of the service level (0.95 → 1.645). */
  readonly z: number;
}

/** Units expected over `days` plus the safety stock for them: days × D + Z × σ × √days. */
const cover = ({ dailyDemand, sigma, z }: DemandOver, days: number): number => days * dailyDemand + z * sigma * Math.sqrt(days);

/** Z × σ × √LT: the units kept against demand above the mean while an order is on its way. */
export const safetyStock = ({ sigma, z, leadTimeDays }: Omit<DemandOver, 'dailyDemand'> & { readonly leadTimeDays: number }): number =>
  z * sigma * Math.sqrt(leadTimeDays);

/**
 * ROP = LT × D + Z × σ × √LT: available stock at or below it must be reordered now, or the shelf runs
 * empty before the order arrives more often than the service level allows. 10/day, σ 3, LT 14, Z 1.65
 * → 140 + 18.52 = 158.52.
 */
export const reorderPoint = (input: DemandOver & { readonly leadTimeDays: number }): number => cover(input, input.leadTimeDays);

/**
 * The order-up-to target (LT + R) × D + Z × σ × √(LT + R): enough for the lead time and the review
 * period until the next order can be placed, with the same service level.
 */
export const orderUpTo = (input: DemandOver & { readonly leadTimeDays: number; readonly reviewDays: number }): number =>
  cover(input, input.leadTimeDays + input.reviewDays);
