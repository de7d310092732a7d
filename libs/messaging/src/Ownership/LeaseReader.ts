// The read side of shard ownership in NATS KV (DESIGN.md §3): the live lease of each shard
// (`shard_leases`) and the live runners' heartbeats (`runners`). Runners read through it between their
// compare-and-sets; `larder runners` and the operator console only read.
import type { JetStreamManager } from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import { Effect, Either } from 'effect';
import { decodeRunnerMember, decodeShardLease, type RunnerMember, type ShardLease } from '../Codec/ShardLease.js';
import type { Names } from '../Names/Names.js';
import { ProcessId } from '../Names/ProcessId.js';
import type { Shard } from '../Sharding/Shard.js';
import { attemptLeaseCall } from './LeaseCall.js';

/** The holder of a lease whose value does not decode (a newer version's?): held, by nobody we can ask. */
export const UnreadableLeaseHolder = ProcessId.make('unreadable-lease');

export interface HeldLease {
  readonly lease: ShardLease;
  readonly revision: number;
}

export const makeLeaseReader = (names: Names, jsm: JetStreamManager, leases: KV, runners: KV) => {
  const key = names.keys.lease;

  /**
   * The keys with a message in a bucket's stream (live values and DEL/PURGE markers; expired ones are
   * gone), in one request. Not `keys()`: it waits for as many entries as it counted, and one expiring
   * meanwhile leaves it waiting forever.
   */
  const storedKeys = (bucket: string) =>
    attemptLeaseCall(`list the keys of ${bucket}`, () => jsm.streams.info(names.kv.stream(bucket), { subjects_filter: names.kv.subject(bucket, '>') })).pipe(
      Effect.map((info) => new Set(Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(names.kv.subject(bucket, '').length)))),
    );

  const leaseOf = (entry: KvEntry | null): HeldLease | null => {
    if (entry === null || entry.operation !== 'PUT') return null;
    const decoded = decodeShardLease(entry.value);
    const lease: ShardLease = Either.isRight(decoded) ? decoded.right : { v: 1, runner: UnreadableLeaseHolder, epoch: entry.revision, acquiredAt: 0 };
    return { lease, revision: entry.revision };
  };

  /**
   * Live leases by shard (an undecodable value counts as held, by an unknown runner). One listing of the
   * bucket's keys, then a read of each key that exists and is not in `known`: the leases a runner
   * holds, whose value it wrote itself (its renewals' compare-and-set notices anyone else taking one).
   */
  const holders = (shards: ReadonlyArray<Shard>, known: ReadonlyMap<Shard, HeldLease> = new Map()) =>
    Effect.gen(function* () {
      const stored = yield* storedKeys(names.buckets.shardLeases);
      const present = shards.filter((shard) => stored.has(key(shard)));
      const unknown = present.filter((shard) => !known.has(shard));
      // One call (and one time limit) for all the reads, not one each.
      const read = new Map(
        yield* attemptLeaseCall('read the leases', () => Promise.all(unknown.map(async (shard) => [shard, leaseOf(await leases.get(key(shard)))] as const))),
      );
      const out = new Map<Shard, HeldLease>();
      for (const shard of present) {
        const held = known.get(shard) ?? read.get(shard);
        if (held !== undefined && held !== null) out.set(shard, held);
      }
      return out;
    });

  /** The lease of one shard as stored now: null when it is absent, deleted or expired. */
  const current = (shard: Shard) => attemptLeaseCall(`read the lease of shard ${shard}`, () => leases.get(key(shard))).pipe(Effect.map(leaseOf));

  /** Live runners (their heartbeats have not expired); a heartbeat that does not decode is left out. */
  const members = Effect.gen(function* () {
    const stored = yield* storedKeys(names.buckets.runners);
    const entries = yield* attemptLeaseCall('read runners', () => Promise.all([...stored].map((k) => runners.get(k))));
    const out: Array<RunnerMember> = [];
    for (const entry of entries) {
      if (entry === null || entry.operation !== 'PUT') continue;
      const decoded = decodeRunnerMember(entry.value);
      if (Either.isRight(decoded)) out.push(decoded.right);
    }
    return out;
  });

  return { holders, current, members };
};

export type LeaseReader = ReturnType<typeof makeLeaseReader>;
