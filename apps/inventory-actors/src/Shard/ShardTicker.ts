// One fiber per period for the periodic work of every hosted shard (expiring holds, saving due
// snapshots), instead of one fiber and one timer per shard: a runner with 32 idle shards woke about
// 224 times a second for that alone (~10 % of a core, measured with no traffic at all).
import { Cause, Effect, Schedule, type Scope } from 'effect';

export interface ShardTicker {
  /**
   * Runs `work` on every tick while the caller's scope is open. A failure or defect of one job is
   * logged and the other jobs, and the next ticks, go on.
   */
  readonly every: (name: string, work: Effect.Effect<void, unknown>) => Effect.Effect<void, never, Scope.Scope>;
}

interface Job {
  readonly name: string;
  readonly work: Effect.Effect<void, unknown>;
}

/**
 * Starts the ticker in the current scope. `concurrent`: the jobs of one tick run at once (I/O, such as
 * snapshot saves); otherwise one after another (in-memory work, cheaper without a fiber each).
 */
export const makeShardTicker = (periodMs: number, concurrent: boolean) =>
  Effect.gen(function* () {
    const jobs = new Set<Job>();
    const run = (job: Job) =>
      job.work.pipe(Effect.catchAllCause((cause) => Effect.logWarning(`${job.name} failed; trying again on the next tick`, Cause.squash(cause))));
    yield* Effect.suspend(() => Effect.forEach([...jobs], run, { concurrency: concurrent ? 'unbounded' : 1, discard: true })).pipe(
      Effect.repeat(Schedule.spaced(`${periodMs} millis`)),
      Effect.forkScoped,
    );
    const ticker: ShardTicker = {
      every: (name, work) =>
        Effect.acquireRelease(
          Effect.sync(() => {
            const job: Job = { name, work };
            jobs.add(job);
            return job;
          }),
          (job) => Effect.sync(() => void jobs.delete(job)),
        ).pipe(Effect.asVoid),
    };
    return ticker;
  });
