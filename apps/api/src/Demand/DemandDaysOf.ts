// One SKU's daily history at one location from its ledger entries (DESIGN.md §10 "Demand"), a pure
// fold: per UTC day of the window, the units sold (commits and recorded sales) and whether it could be
// bought — the available level (onHand − reserved − safetyStock − allocated, at least 0) walked through
// the day's after-levels from the level carried in, sold out for most of the time = not sellable. Time
// before the SKU's first entry here is not counted (it was not on sale); such a day is not sellable.
// A day's `lostDemand` is the units of the holds refused that day for want of stock (`lost_demand`), so the
// velocity counts a sold-out day that turned customers away instead of leaving it out.
import { dayOf, type DemandDay } from '@larder/domain';
import type { DemandLedgerRow } from './DemandLedger.js';

export const DayMs = 86_400_000;

/** The event types whose units count as sold. */
const SoldTypes: ReadonlySet<string> = new Set(['ReservationCommitted', 'SaleRecorded']);

const availableOf = (row: DemandLedgerRow) => Math.max(0, row.onHand - row.reserved - row.safetyStock - row.allocated);

export interface DemandWindow {
  /** Epoch ms of the first day's midnight (UTC). */
  readonly from: number;
  /** Number of days, the last one today. */
  readonly days: number;
  /** Epoch ms: today is counted up to this moment. */
  readonly now: number;
}

/**
 * `rows`: this SKU's entries at this location, journal order, the carried-in one (before `from`) first if any;
 * `lostUnits`: the units refused for want of stock here, by UTC day (YYYY-MM-DD), days without any left out.
 */
export const demandDaysOf = (
  rows: ReadonlyArray<DemandLedgerRow>,
  window: DemandWindow,
  lostUnits: ReadonlyMap<string, number> = new Map(),
): ReadonlyArray<typeof DemandDay.Encoded> => {
  const days: Array<typeof DemandDay.Encoded> = [];
  let next = 0;
  let level: number | undefined;
  while (next < rows.length && (rows[next]?.at ?? Infinity) < window.from) {
    const row = rows[next];
    if (row !== undefined) level = availableOf(row);
    next += 1;
  }
  for (let i = 0; i < window.days; i += 1) {
    const start = window.from + i * DayMs;
    const end = Math.min(start + DayMs, Math.max(start, window.now));
    let cursor = start;
    let soldOutMs = 0;
    let openMs = 0;
    let sold = 0;
    const spend = (until: number) => {
      const t = Math.min(Math.max(until, cursor), end);
      if (level !== undefined) {
        if (level === 0) soldOutMs += t - cursor;
        else openMs += t - cursor;
      }
      cursor = t;
    };
    for (let row = rows[next]; row !== undefined && row.at < start + DayMs; row = rows[next]) {
      spend(row.at);
      level = availableOf(row);
      if (SoldTypes.has(row.eventType)) sold += Math.max(0, row.quantity ?? 0);
      next += 1;
    }
    spend(end);
    const counted = soldOutMs + openMs;
    const sellable = counted > 0 ? soldOutMs * 2 <= counted : level !== undefined && level > 0;
    const date = dayOf(start);
    days.push({ date, sold, sellable, lostDemand: lostUnits.get(date) ?? 0 });
  }
  return days;
};
