// What a restock suggestion is asked with (DESIGN.md §10 "Demand"): one SKU at one location, its daily
// history, its stock, and the brand's replenishment policy. The caller computes the shelf life.
import { Schema } from 'effect';
import { LocationId, Sku } from '../Ids.js';
import { Units } from '../Quantities.js';
import { CalendarDate } from '../Lots/Lot.js';
import { DemandHistory } from './DemandHistory.js';
import { VelocityAlpha } from './DemandVelocity.js';

const Days = Schema.Int.pipe(Schema.between(0, 3650, { message: () => 'days are a whole number from 0 to 3650' }));

/** The review period when none is given: the brand looks at its orders once a week. */
export const DefaultReviewDays = 7;
/** Cover beyond which stock is excess when neither a threshold nor a shelf life is given. */
export const DefaultExcessDays = 90;

export const RestockInput = Schema.Struct({
  sku: Sku,
  location: LocationId,
  /** The day the suggestion is for (the brand's calendar day); replenish-by dates count from it. */
  today: CalendarDate,
  /** The daily history, oldest first (e.g. the 90 days before today). */
  days: DemandHistory,
  /** Units on the shelf at the location. */
  onHand: Units,
  /**
   * Units of `onHand` already spoken for: open holds (and, if the caller wants them kept out of the
   * cover, units allocated to drops and not yet sold). Available = onHand − reserved.
   */
  reserved: Units,
  /** LT: days from placing an order to its units being sellable at the location. */
  leadTimeDays: Days,
  /** The chance of not running out while an order is on its way, e.g. 0.95 (Z ≈ 1.645). */
  serviceLevel: Schema.Number.pipe(Schema.between(0.5, 0.9999, { message: () => 'a service level is from 0.5 to 0.9999' })),
  /** R: days until the next chance to order; the order covers LT + R. Default 7. */
  reviewDays: Schema.optionalWith(Days, { exact: true }),
  /** The velocity's smoothing factor (0 < alpha ≤ 1). Default: a half-life of 14 days (≈ 0.0483). */
  alpha: Schema.optionalWith(VelocityAlpha, { exact: true }),
  /**
   * Days a unit produced now stays sellable on the strictest channel: best-before − production −
   * minShelfLifeDays − handlingDays. Orders are capped to what sells within it. None: no cap.
   */
  shelfLifeDays: Schema.optionalWith(Days, { exact: true }),
  /** Days of cover above which the stock is excess. Default: 90, or the shelf life if shorter. */
  excessDays: Schema.optionalWith(Days.pipe(Schema.positive()), { exact: true }),
});
export type RestockInput = typeof RestockInput.Type;
