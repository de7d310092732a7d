// How webhook deliveries behave, from the environment (ApiConfig): the retry schedule, the HTTP timeout
// and how many deliveries each endpoint may have in flight on one instance.
import { Config, ConfigError, Either } from 'effect';
import { DefaultRetryScheduleMs } from './RetrySchedule.js';

export interface WebhookSettings {
  /** Delay before each attempt in ms (first entry: the first attempt); see RetrySchedule.ts. */
  readonly retryScheduleMs: ReadonlyArray<number>;
  /** One HTTP attempt is abandoned (and counted failed) after this long. */
  readonly timeoutMs: number;
  /** Deliveries in flight per endpoint per API instance. */
  readonly maxInFlight: number;
}

/** `0,5000,300000`: non-negative integers, at least one. */
export const parseRetrySchedule = (raw: string): Either.Either<ReadonlyArray<number>, string> => {
  const parts = raw.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length === 0 || parts.some((p) => p === '') || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
    return Either.left(`expected delays in ms separated by commas, e.g. 0,5000,300000 (got "${raw}")`);
  }
  return Either.right(numbers);
};

export const WebhookConfig: Config.Config<WebhookSettings> = Config.all({
  retryScheduleMs: Config.string('LARDER_WEBHOOK_RETRY_SCHEDULE_MS').pipe(
    Config.withDefault(DefaultRetryScheduleMs.join(',')),
    Config.mapOrFail((raw) => Either.mapLeft(parseRetrySchedule(raw), (message) => ConfigError.InvalidData(['LARDER_WEBHOOK_RETRY_SCHEDULE_MS'], message))),
  ),
  timeoutMs: Config.integer('LARDER_WEBHOOK_TIMEOUT_MS').pipe(
    Config.withDefault(10_000),
    Config.validate({ message: 'milliseconds, at least 100', validation: (x) => x >= 100 }),
  ),
  maxInFlight: Config.integer('LARDER_WEBHOOK_MAX_IN_FLIGHT').pipe(
    Config.withDefault(8),
    Config.validate({ message: 'deliveries, 1 to 1000', validation: (x) => x >= 1 && x <= 1000 }),
  ),
});
