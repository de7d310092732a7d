// The retry schedule of webhook deliveries: the Standard Webhooks default lasts more than 24 h, each
// failed attempt waits the next delay, the last one dead-letters; and the environment's spelling.
import { Either } from 'effect';
import { describe, expect, it } from 'vitest';
import { DefaultRetryScheduleMs, nextStep, retryBudgetMs } from '../../src/Webhooks/RetrySchedule.js';
import { parseRetrySchedule } from '../../src/Webhooks/WebhookSettings.js';

describe('the default schedule', () => {
  it('retries for at least 24 h over 8 attempts (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)', () => {
    expect(DefaultRetryScheduleMs).toHaveLength(8);
    expect(retryBudgetMs(DefaultRetryScheduleMs)).toBeGreaterThanOrEqual(24 * 60 * 60_000);
    expect(nextStep(DefaultRetryScheduleMs, 1)).toEqual({ _tag: 'Retry', delayMs: 5_000 });
    expect(nextStep(DefaultRetryScheduleMs, 7)).toEqual({ _tag: 'Retry', delayMs: 10 * 60 * 60_000 });
    expect(nextStep(DefaultRetryScheduleMs, 8)).toEqual({ _tag: 'DeadLetter' });
  });
});

describe('a short schedule', () => {
  it('dead-letters after as many attempts as it has entries', () => {
    const schedule = [0, 200, 500];
    expect([1, 2, 3].map((attempt) => nextStep(schedule, attempt))).toEqual([
      { _tag: 'Retry', delayMs: 200 },
      { _tag: 'Retry', delayMs: 500 },
      { _tag: 'DeadLetter' },
    ]);
    // A redelivery after an instance died mid-attempt counts as an attempt too.
    expect(nextStep(schedule, 9)).toEqual({ _tag: 'DeadLetter' });
  });
});

describe('LARDER_WEBHOOK_RETRY_SCHEDULE_MS', () => {
  it('reads delays in ms separated by commas', () => {
    expect(parseRetrySchedule('0, 200,500')).toEqual(Either.right([0, 200, 500]));
  });
  it.each(['', '0,,5', '0,-1', '0,1.5', 'soon'])('refuses %j', (raw) => {
    expect(Either.isLeft(parseRetrySchedule(raw))).toBe(true);
  });
});
