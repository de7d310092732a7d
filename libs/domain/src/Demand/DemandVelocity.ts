// Velocity (DESIGN.md §10 "Demand"): the exponentially weighted mean and standard deviation of daily
// demand over the days that show it. Sold-out days are left out, not counted as zero: the clock of the
// weights stops while the shelf is empty, so a stockout neither lowers the velocity nor ages the past.
import { Schema } from 'effect';
import { dayDemand, dayShowsDemand, type DemandDay } from './DemandHistory.js';

/** The smoothing factor: the weight of the newest day; each older day counts (1 − alpha) times the next. */
export const VelocityAlpha = Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(1));

/** The smoothing factor under which a day's weight halves every `halfLifeDays` days of demand. */
export const alphaForHalfLife = (halfLifeDays: number): number => 1 - 2 ** (-1 / halfLifeDays);

/**
 * Velocity's default memory: a day's weight halves every 14 days of demand (alpha ≈ 0.0483, as smooth as a
 * 40-day moving average). A shorter one (alpha 0.2 halves in 3 days) lets a single drop day
 * dominate the next week's orders; a longer one is slow to see a flavour taking off.
 */
export const DefaultHalfLifeDays = 14;
export const DefaultAlpha = alphaForHalfLife(DefaultHalfLifeDays);

export interface DemandVelocity {
  /** D: the weighted mean of daily demand, units per day (0 when no day shows demand). */
  readonly dailyDemand: number;
  /**
   * σ: the weighted standard deviation of the same days, units per day, with the reliability-weights
   * correction (Σw ÷ (Σw − Σw²/Σw)): equal weights give the sample standard deviation, and it agrees
   * with pandas' `ewm(alpha, adjust=True).std()`. 0 with fewer than two days.
   */
  readonly sigma: number;
  /** Days whose demand entered D and σ (sellable days, and sold-out days where a drop counted refusals). */
  readonly daysUsed: number;
  /** Sold-out days left out: their sales measured the stock, not the demand. */
  readonly soldOutDaysLeftOut: number;
  /** Days used that carried refused (lost) demand from a drop. */
  readonly dropDaysCounted: number;
  /** Refused units added to what sold on the days used. */
  readonly lostDemandUnits: number;
}

/**
 * D and σ over `days` (oldest first). The newest day used has weight 1, the one before it (1 − alpha),
 * and so on; days left out take no place in that count. Weighted mean and variance by West's
 * incremental update, so a constant series gives exactly that constant and σ exactly 0.
 */
export const demandVelocity = (days: ReadonlyArray<DemandDay>, alpha: number = DefaultAlpha): DemandVelocity => {
  const used = days.filter(dayShowsDemand);
  let weight = 1;
  let sumW = 0;
  let sumW2 = 0;
  let mean = 0;
  let squares = 0;
  // Newest first, so the first weight is 1 and Σw never starts at an underflowed 0.
  for (const day of [...used].reverse()) {
    const x = dayDemand(day);
    sumW += weight;
    sumW2 += weight * weight;
    const delta = x - mean;
    mean += (weight / sumW) * delta;
    squares += weight * delta * (x - mean);
    weight *= 1 - alpha;
  }
  const effective = sumW > 0 ? sumW - sumW2 / sumW : 0;
  return {
    dailyDemand: mean,
    sigma: effective > 0 ? Math.sqrt(Math.max(0, squares / effective)) : 0,
    daysUsed: used.length,
    soldOutDaysLeftOut: days.length - used.length,
    dropDaysCounted: used.filter((d) => d.lostDemand > 0).length,
    lostDemandUnits: used.reduce((n, d) => n + d.lostDemand, 0),
  };
};
