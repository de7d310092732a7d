// One call to the ownership buckets (`shard_leases`, `runners`), as runners and operator tools make
// it: a time limit so no loop or page waits on a stalled server, and one error naming what failed.
import { Data, Effect } from 'effect';

export class LeaseStoreError extends Data.TaggedError('LeaseStoreError')<{ readonly operation: string; readonly detail: string }> {}

/** No KV call may stall a loop: past this it counts as failed, and the next round tries again. */
export const LeaseCallTimeout = '3 seconds';

export const leaseCallTimedOut = (operation: string) => () => new LeaseStoreError({ operation, detail: `no answer within ${LeaseCallTimeout}` });

export const withinLeaseCall = (operation: string) => Effect.timeoutFail({ duration: LeaseCallTimeout, onTimeout: leaseCallTimedOut(operation) });

/** Runs one KV or JetStream call within the time limit; a rejection becomes a LeaseStoreError. */
export const attemptLeaseCall = <A>(operation: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (error) => new LeaseStoreError({ operation, detail: error instanceof Error ? error.message : String(error) }),
  }).pipe(withinLeaseCall(operation));
