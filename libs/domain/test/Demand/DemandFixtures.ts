// Builders for the Demand specs: a daily history from a list of days (dated one after the other up
// to the day before `today`) and a restock input with a plain policy that each spec overrides.
import { addDays, CalendarDate, LocationId, Sku, Units, type DemandDay, type RestockInput } from '../../src/index.js';

export const today = CalendarDate.make('2027-03-01');

export interface Day {
  readonly sold: number;
  /** Default true. */
  readonly sellable?: boolean;
  /** Default 0. */
  readonly lostDemand?: number;
}

/** A sellable day that sold `n`. */
export const sold = (n: number): Day => ({ sold: n });
/** A day sold out throughout (nothing sold, nothing counted as refused). */
export const soldOut: Day = { sold: 0, sellable: false };

/** The days, oldest first, the last one dated the day before `today`. */
export const history = (days: ReadonlyArray<Day>): ReadonlyArray<DemandDay> =>
  days.map((d, i) => ({
    date: addDays(today, i - days.length),
    sold: Units.make(d.sold),
    sellable: d.sellable ?? true,
    lostDemand: Units.make(d.lostDemand ?? 0),
  }));

/** `count` days each selling `n`. */
export const constant = (n: number, count: number): ReadonlyArray<Day> => Array.from({ length: count }, () => sold(n));

export const input = (days: ReadonlyArray<Day>, over: Partial<Omit<RestockInput, 'days'>> = {}): RestockInput => ({
  sku: Sku.make('JERKY-TERIYAKI'),
  location: LocationId.make('main'),
  today,
  days: history(days),
  onHand: Units.make(300),
  reserved: Units.make(0),
  leadTimeDays: 14,
  serviceLevel: 0.95,
  ...over,
});
