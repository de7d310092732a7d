// How long the records behind a recall trace (the ledger, the lot assignments) are kept (DESIGN.md §10,
// 9 CFR 320.3): at least two years after the end of the year of the transaction, in UTC. Pure dates.

/** Whole calendar years a record is kept after the end of the year it was made in. */
export const RetentionYearsAfterYearEnd = 2;

const startOfYear = (year: number): number => Date.UTC(year, 0, 1);

/**
 * The first instant a record made at `at` (epoch ms) may be deleted: the start of the year `at`'s year
 * + 3 (UTC). It is kept through the last millisecond before it: a record of 2024-12-31 is kept until
 * the end of 2026-12-31 and may go from 2027-01-01T00:00:00.000Z.
 */
export const retainedUntil = (at: number): number => startOfYear(new Date(at).getUTCFullYear() + RetentionYearsAfterYearEnd + 1);

/**
 * The latest cutoff a purge may use at `now`: records strictly before it are past their retention,
 * every record at or after it is still kept (the start of the year `now`'s year − 2, UTC). On
 * 2026-12-31 it is 2024-01-01; on 2027-01-01 it becomes 2025-01-01.
 */
export const earliestPurgeCutoff = (now: number): number => startOfYear(new Date(now).getUTCFullYear() - RetentionYearsAfterYearEnd);

/** Whether a record made at `at` may be deleted at `now`. */
export const mayPurge = (at: number, now: number): boolean => now >= retainedUntil(at);

/** Whether deleting every record strictly before `cutoff` at `now` deletes only records past retention. */
export const purgeCutoffAllowed = (cutoff: number, now: number): boolean => cutoff <= earliestPurgeCutoff(now);
