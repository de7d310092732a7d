// When a failed webhook delivery is tried again (ADR 0015): the Standard Webhooks schedule by default,
// about 27.6 h from the first attempt to the last, then the delivery is dead-lettered.

/**
 * Delay before each attempt, in ms: entry 0 is the first attempt (immediately), entry n the wait
 * after attempt n failed. Its length is the number of attempts.
 */
export const DefaultRetryScheduleMs: ReadonlyArray<number> = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 60 * 60_000,
  5 * 60 * 60_000,
  10 * 60 * 60_000,
  10 * 60 * 60_000,
];

export type NextStep = { readonly _tag: 'Retry'; readonly delayMs: number } | { readonly _tag: 'DeadLetter' };

/** After attempt `attempt` (1-based: JetStream's delivery count) failed: wait and retry, or give up. */
export const nextStep = (schedule: ReadonlyArray<number>, attempt: number): NextStep => {
  const delayMs = schedule[attempt];
  return delayMs === undefined ? { _tag: 'DeadLetter' } : { _tag: 'Retry', delayMs };
};

/** From the first attempt to the last, if every attempt fails at once. */
export const retryBudgetMs = (schedule: ReadonlyArray<number>) => schedule.reduce((sum, ms) => sum + ms, 0);
