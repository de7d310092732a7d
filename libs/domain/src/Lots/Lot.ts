// Lots and shelf life (DESIGN.md §10 "Lots and shelf life"): every unit received may name its lot — a
// code unique per SKU, a best-before date with a year, and where and when it was made. Dates are
// calendar dates (ISO 8601 `YYYY-MM-DD`); "today" is the UTC date of the deciding command's `now`.
// Pure: the shelf life is never hard-coded — it is the lot's best-before and the channel's minimum.
import { Schema } from 'effect';
import type { EpochMillis } from '../Quantities.js';

/** A lot code: letters, digits, `.`, `_`, `-`; 1–64 characters (it travels in URLs). */
export const LotCode = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: () => 'a lot code is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit' }),
  Schema.brand('LotCode'),
);
export type LotCode = typeof LotCode.Type;

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** A calendar date with its year, `YYYY-MM-DD` (a real day: 2027-02-30 is refused). */
export const CalendarDate = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => 'a date is YYYY-MM-DD (with its year)' }),
  Schema.filter((s) => isRealDate(s) || `${s} is not a day of the calendar`),
  Schema.brand('CalendarDate'),
);
export type CalendarDate = typeof CalendarDate.Type;

/** What a restock (or a return) says of the lot its units belong to. */
export const LotInfo = Schema.Struct({
  code: LotCode,
  bestBefore: CalendarDate,
  producedOn: Schema.optionalWith(CalendarDate, { exact: true }),
  /** The establishment number of the plant that made it (e.g. USDA "EST. 12345"). */
  establishment: Schema.optionalWith(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)), { exact: true }),
});
export type LotInfo = typeof LotInfo.Type;

/** A sales channel: letters, digits, `_`, `-` (lowercase), 1–32. */
export const ChannelId = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9][a-z0-9_-]{0,31}$/, { message: () => 'a channel is 1–32 lowercase letters, digits, "_" or "-"' }),
  Schema.brand('ChannelId'),
);
export type ChannelId = typeof ChannelId.Type;

export const DefaultChannel: ChannelId = ChannelId.make('web');

const Days = Schema.Int.pipe(Schema.between(0, 3650, { message: () => 'days are a whole number from 0 to 3650' }));

/** What a hold must respect on its channel: a lot is sellable while bestBefore − (today + handlingDays) ≥ minShelfLifeDays. */
export const ChannelTerms = Schema.Struct({
  channel: ChannelId,
  minShelfLifeDays: Days,
  handlingDays: Days,
});
export type ChannelTerms = typeof ChannelTerms.Type;

const DayMs = 86_400_000;

/** The UTC calendar date of an instant. */
// Built from toISOString, a real day by construction: no validation on the hot path.
export const dayOf = (at: EpochMillis | number): CalendarDate => CalendarDate.make(new Date(at).toISOString().slice(0, 10), { disableValidation: true });

export const addDays = (date: CalendarDate, days: number): CalendarDate =>
  CalendarDate.make(new Date(Date.parse(`${date}T00:00:00Z`) + days * DayMs).toISOString().slice(0, 10), { disableValidation: true });

/**
 * The earliest best-before a lot may have to be sold now on this channel: today + handlingDays +
 * minShelfLifeDays. A lot whose best-before is on or after it is sellable (the boundary day is).
 */
export const sellableFrom = (now: EpochMillis | number, terms: ChannelTerms): CalendarDate => addDays(dayOf(now), terms.handlingDays + terms.minShelfLifeDays);

/** Whether a lot with this best-before is sellable to a hold that needs `from` or later (no `from`: any lot). */
export const meetsShelfLife = (bestBefore: CalendarDate, from: CalendarDate | null): boolean => from === null || bestBefore >= from;
