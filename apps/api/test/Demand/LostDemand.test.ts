// Lost demand per day into the history and beside the suggestion: the units refused on a day become that
// day's `lostDemand`, and the signal sums only the days of the window.
import { describe, expect, it } from 'vitest';
import { DayMs, demandDaysOf } from '../../src/Demand/DemandDaysOf.js';
import { lostDemandSignalOf, lostUnitsByDate, type LostDemandDayRow } from '../../src/Demand/LostDemand.js';

const from = Date.parse('2026-12-20T00:00:00Z');
const window = { from, days: 3, now: from + 2 * DayMs + 3_600_000 };
const row = (date: string, units: number, refusals: number): LostDemandDayRow => ({ sku: 'JERKY', location: 'main', date, units, refusals });

describe('given refusals on the second day of a three-day window', () => {
  const rows = [row('2026-12-21', 7, 3)];

  it('puts their units on that day and 0 on the others', () => {
    expect(demandDaysOf([], window, lostUnitsByDate(rows)).map((d) => [d.date, d.lostDemand])).toEqual([
      ['2026-12-20', 0],
      ['2026-12-21', 7],
      ['2026-12-22', 0],
    ]);
  });

  it('sums units, refusals and days of the window only', () => {
    const dates = new Set(demandDaysOf([], window).map((d) => d.date));
    expect(lostDemandSignalOf([row('2026-12-19', 4, 1), ...rows, row('2026-12-22', 1, 1)], dates)).toEqual({ units: 8, refusals: 4, days: 2 });
  });
});

describe('given no refusals', () => {
  it('has no lost demand on any day, and a signal of zeros', () => {
    expect(demandDaysOf([], window).every((d) => d.lostDemand === 0)).toBe(true);
    expect(lostDemandSignalOf([], new Set(['2026-12-20']))).toEqual({ units: 0, refusals: 0, days: 0 });
  });
});
