// Who runs and who owns what, read from KV: live runners (`runners` bucket, their heartbeats) and the
// live lease of every shard (`shard_leases`), through @larder/messaging's LeaseReader. The leases are
// the truth; a runner's heartbeat only reports what it hosts.
import { makeLeaseReader, readOwnership, type OwnershipSnapshot as LiveOwnership, type RunnerMember } from '@larder/messaging';
import { Effect } from 'effect';
import { CliError } from './CliErrors.js';
import type { NatsSession } from './NatsSession.js';

export interface OwnershipSnapshot extends LiveOwnership {
  /** The buckets' TTL: how long a lease or a heartbeat outlives its last renewal. */
  readonly ttlMs: number;
}

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
    const reader = makeLeaseReader(names, session.jsm, leases, runners);
    const read: Effect.Effect<OwnershipSnapshot, CliError> = readOwnership(reader, names.allShards).pipe(
      Effect.map((snapshot) => ({ ...snapshot, ttlMs })),
      Effect.mapError((error) => new CliError({ message: `cannot read shard ownership (${error.operation}): ${error.detail}` })),
    );
    return read;
  });
