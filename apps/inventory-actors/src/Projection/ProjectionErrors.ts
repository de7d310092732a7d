// Failures of the projection writers (KV `stock`, the Redis mirror, public events), typed at the
// adapter. The projector keeps the SKU dirty and retries; no failure ever reaches an actor.
import { Data } from 'effect';

/** A write to one projection target failed or timed out; `detail` says what the target answered. */
export class ProjectionWriteError extends Data.TaggedError('ProjectionWriteError')<{
  /** `kv`, `redis` or `events`: which target. */
  readonly target: string;
  readonly detail: string;
}> {}

/** A projection target could not be set up at start (e.g. the KV bucket cannot be opened). */
export class ProjectionSetupError extends Data.TaggedError('ProjectionSetupError')<{
  readonly target: string;
  readonly detail: string;
}> {}

/** A thrown value's message, for `detail`. */
export const describeFailure = (error: unknown): string => (error instanceof Error ? error.message : String(error));
