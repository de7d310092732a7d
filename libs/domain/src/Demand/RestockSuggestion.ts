// The restock suggestion for one SKU at one location (DESIGN.md §10 "Demand", GET
// /v1/restock-suggestions): velocity, days of cover, reorder point, replenish-by date, status and the
// quantity to order, each figure named, with the policy and the history behind them. Pure.
import { Schema } from 'effect';
import { LocationId, Sku } from '../Ids.js';
import { addDays, CalendarDate } from '../Lots/Lot.js';
import { DefaultAlpha, demandVelocity } from './DemandVelocity.js';
import { inverseNormalCdf } from './InverseNormal.js';
import { orderUpTo, reorderPoint, safetyStock } from './ReorderPoint.js';
import { DefaultExcessDays, DefaultReviewDays, type RestockInput } from './RestockInput.js';
import { restockStatus, RestockStatus } from './RestockStatus.js';

/** Replenish-by dates further out than this are not given (ten years: the velocity is near zero). */
export const MaxReplenishHorizonDays = 3650;

const Figure = Schema.Number;

export const RestockSuggestion = Schema.Struct({
  sku: Sku,
  location: LocationId,
  today: CalendarDate,
  /** D: units per day, the exponentially weighted mean over the days that show demand. */
  dailyDemand: Figure,
  /** σ: the exponentially weighted standard deviation of daily demand, units per day. */
  sigma: Figure,
  /** onHand − reserved. */
  available: Schema.Int,
  /** available ÷ D; null when D = 0 (it never runs out). */
  daysOfCover: Schema.NullOr(Figure),
  /** LT × D: what sells while an order is on its way. */
  leadTimeDemand: Figure,
  /** Z × σ × √LT. */
  safetyStock: Figure,
  /** LT × D + Z × σ × √LT. */
  reorderPoint: Figure,
  /**
   * The day available reaches the reorder point at D a day: today + ⌊(available − ROP) ÷ D⌋, today
   * when already at or below it; null when D = 0 or more than ten years away.
   */
  replenishBy: Schema.NullOr(CalendarDate),
  status: RestockStatus,
  /** (LT + R) × D + Z × σ × √(LT + R): the stock an order should bring the location up to. */
  orderUpTo: Figure,
  /** ⌈orderUpTo − available⌉, at least 0 (0 for `no_history`): the order before the shelf-life cap. */
  uncappedQuantity: Schema.Int,
  /** ⌊D × shelfLifeDays − available⌋, at least 0: what sells before the lots are too old; null without a shelf life. */
  shelfLifeCap: Schema.NullOr(Schema.Int),
  /** The units to order: the smaller of the two (0 for `no_history`). */
  suggestedQuantity: Schema.Int,
  /** Which limit cut the order below the target: the shelf life, or none. */
  cappedBy: Schema.NullOr(Schema.Literal('shelfLife')),
  /** The policy as applied, defaults filled in. */
  policy: Schema.Struct({
    leadTimeDays: Schema.Int,
    reviewDays: Schema.Int,
    serviceLevel: Figure,
    /** Z: the standard normal quantile of the service level. */
    z: Figure,
    alpha: Figure,
    shelfLifeDays: Schema.NullOr(Schema.Int),
    excessDays: Schema.Int,
  }),
  /** What the history gave the velocity. */
  explain: Schema.Struct({
    historyDays: Schema.Int,
    daysUsed: Schema.Int,
    soldOutDaysLeftOut: Schema.Int,
    dropDaysCounted: Schema.Int,
    lostDemandUnits: Schema.Int,
  }),
});
export type RestockSuggestion = typeof RestockSuggestion.Type;

const replenishBy = (today: CalendarDate, available: number, rop: number, dailyDemand: number): CalendarDate | null => {
  if (dailyDemand <= 0) return null;
  if (available <= rop) return today;
  const days = Math.floor((available - rop) / dailyDemand);
  return days > MaxReplenishHorizonDays ? null : addDays(today, days);
};

/** What to reorder and when, for one SKU at one location. */
export const restockSuggestion = (input: RestockInput): RestockSuggestion => {
  const alpha = input.alpha ?? DefaultAlpha;
  const reviewDays = input.reviewDays ?? DefaultReviewDays;
  const shelfLifeDays = input.shelfLifeDays ?? null;
  const excessDays = input.excessDays ?? (shelfLifeDays === null ? DefaultExcessDays : Math.max(1, Math.min(DefaultExcessDays, shelfLifeDays)));
  const z = inverseNormalCdf(input.serviceLevel);
  const { leadTimeDays } = input;

  const velocity = demandVelocity(input.days, alpha);
  const { dailyDemand, sigma, daysUsed } = velocity;
  const demand = { dailyDemand, sigma, z };
  const available = input.onHand - input.reserved;
  const rop = reorderPoint({ ...demand, leadTimeDays });
  const leadTimeDemand = leadTimeDays * dailyDemand;
  const daysOfCover = dailyDemand > 0 ? available / dailyDemand : null;
  const status = restockStatus({ daysUsed, dailyDemand, available, leadTimeDemand, reorderPoint: rop, daysOfCover, excessDays });

  const target = orderUpTo({ ...demand, leadTimeDays, reviewDays });
  const uncappedQuantity = status === 'no_history' ? 0 : Math.max(0, Math.ceil(target - available));
  const shelfLifeCap = shelfLifeDays === null ? null : Math.max(0, Math.floor(dailyDemand * shelfLifeDays - available));
  const capped = shelfLifeCap !== null && shelfLifeCap < uncappedQuantity;

  return {
    sku: input.sku,
    location: input.location,
    today: input.today,
    dailyDemand,
    sigma,
    available,
    daysOfCover,
    leadTimeDemand,
    safetyStock: safetyStock({ sigma, z, leadTimeDays }),
    reorderPoint: rop,
    replenishBy: replenishBy(input.today, available, rop, dailyDemand),
    status,
    orderUpTo: target,
    uncappedQuantity,
    shelfLifeCap,
    suggestedQuantity: capped ? shelfLifeCap : uncappedQuantity,
    cappedBy: capped ? 'shelfLife' : null,
    policy: { leadTimeDays, reviewDays, serviceLevel: input.serviceLevel, z, alpha, shelfLifeDays, excessDays },
    explain: {
      historyDays: input.days.length,
      daysUsed,
      soldOutDaysLeftOut: velocity.soldOutDaysLeftOut,
      dropDaysCounted: velocity.dropDaysCounted,
      lostDemandUnits: velocity.lostDemandUnits,
    },
  };
};
