// Who runs and who owns what at one moment, read from KV: the live runners and the live lease of every
// shard. The leases are the truth; a runner's heartbeat only reports what it hosts.
import { Clock, Effect } from 'effect';
import type { RunnerMember } from '../Codec/ShardLease.js';
import type { Shard } from '../Sharding/Shard.js';
import type { LeaseStoreError } from './LeaseCall.js';
import type { HeldLease, LeaseReader } from './LeaseReader.js';

export interface OwnershipSnapshot {
  /** Live runners, by id. */
  readonly members: ReadonlyArray<RunnerMember>;
  /** Live leases by shard (a shard without one has no owner). */
  readonly leases: ReadonlyMap<Shard, HeldLease>;
  /** Epoch ms of the read. */
  readonly readAt: number;
}

/** Runners in the order of their ids. */
export const byRunner = (a: RunnerMember, b: RunnerMember) => (a.runner < b.runner ? -1 : a.runner > b.runner ? 1 : 0);

/** Both buckets read at once; `readAt` is taken after the reads, so no heartbeat is younger than it. */
export const readOwnership = (reader: LeaseReader, shards: ReadonlyArray<Shard>): Effect.Effect<OwnershipSnapshot, LeaseStoreError> =>
  Effect.all([reader.members, reader.holders(shards)], { concurrency: 'unbounded' }).pipe(
    Effect.flatMap(([members, leases]) =>
      Clock.currentTimeMillis.pipe(
        Effect.map((readAt) => ({
          members: [...members].sort(byRunner),
          leases,
          readAt,
        })),
      ),
    ),
  );

/** The shards whose lease `runner` holds, in order. */
export const shardsOf = (snapshot: OwnershipSnapshot, runner: string): ReadonlyArray<Shard> =>
  [...snapshot.leases].filter(([, held]) => held.lease.runner === runner).map(([shard]) => shard).sort((a, b) => a - b);
