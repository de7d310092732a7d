// The projector's tunables, named once (STYLE.md habit 6): how many SKUs each writer writes at a
// time, how long one write may take, and how retries back off while a target is down.
export interface ProjectionPolicy {
  /** At most this many SKUs written at once, per writer. */
  readonly concurrency: number;
  /** A write that takes longer counts as failed (and is retried; every writer is idempotent). */
  readonly writeTimeoutMs: number;
  /** First pause after a failed pass; doubles on each failure in a row… */
  readonly retryBaseMs: number;
  /** …up to this. `flush` skips the pause. */
  readonly retryMaxMs: number;
}

export const defaultProjectionPolicy: ProjectionPolicy = {
  concurrency: 32,
  writeTimeoutMs: 5_000,
  retryBaseMs: 100,
  retryMaxMs: 5_000,
};
