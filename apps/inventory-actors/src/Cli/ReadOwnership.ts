// Who runs and who owns what, read from KV: live runners (`runners` bucket, their heartbeats) and the
// live lease of every shard (`shard_leases`). The leases are the truth; a runner's heartbeat only
// reports what it hosts.
import { ProcessId, type RunnerMember, type Shard } from '@larder/messaging';
import { Effect } from 'effect';
import { makeLeaseStore, type HeldLease } from '../Ownership/LeaseStore.js';
import { CliError } from './CliErrors.js';
import type { NatsSession } from './NatsSession.js';

export interface OwnershipSnapshot {
  /** Live runners, by id. */
  readonly members: ReadonlyArray<RunnerMember>;
  /** Live leases by shard (a shard without one has no owner). */
  readonly leases: ReadonlyMap<Shard, HeldLease>;
  /** The buckets' TTL: how long a lease or a heartbeat outlives its last renewal. */
  readonly ttlMs: number;
  readonly readAt: number;
}

/** The shards whose lease `runner` holds, in order. */
export const shardsOf = (snapshot: OwnershipSnapshot, runner: string): ReadonlyArray<Shard> =>
  [...snapshot.leases].filter(([, held]) => held.lease.runner === runner).map(([shard]) => shard).sort((a, b) => a - b);

export const memberOf = (snapshot: OwnershipSnapshot, runner: string): RunnerMember | undefined =>
  snapshot.members.find((m) => m.runner === runner);

export const liveRunnerIds = (snapshot: OwnershipSnapshot): string =>
  snapshot.members.map((m) => m.runner).join(', ') || 'none';

export const openOwnershipReader = (session: NatsSession) =>
  Effect.gen(function* () {
    const { names } = session;
    const [leases, runners] = yield* Effect.all([session.bucket(names.buckets.shardLeases), session.bucket(names.buckets.runners)], {
      concurrency: 'unbounded',
    });
    const ttlMs = yield* Effect.tryPromise({ try: () => leases.status(), catch: session.failure(`KV bucket ${names.buckets.shardLeases}`) }).pipe(
      Effect.map((status) => status.ttl),
    );
    // Read-only use: `self` only matters to the writing methods, which the CLI never calls.
    const store = makeLeaseStore(names, session.jsm, leases, runners, ProcessId.make('larder-cli'));
    const read: Effect.Effect<OwnershipSnapshot, CliError> = Effect.all([store.members, store.holders(names.allShards)], {
      concurrency: 'unbounded',
    }).pipe(
      Effect.map(([members, held]) => ({
        members: [...members].sort((a, b) => (a.runner < b.runner ? -1 : a.runner > b.runner ? 1 : 0)),
        leases: held,
        ttlMs,
        readAt: Date.now(),
      })),
      Effect.mapError((error) => new CliError({ message: `cannot read shard ownership (${error.operation}): ${error.detail}` })),
    );
    return read;
  });
