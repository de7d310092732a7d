// Shard leases and runner membership in NATS KV (DESIGN.md §3): create = acquire (only if absent),
// compare-and-set on the revision = renew, delete on the revision = hand over; the buckets' TTL
// expires the leases of a runner that stopped renewing. The reads (leases, live runners) are
// @larder/messaging's LeaseReader, shared with the operator tools.
import {
  attemptLeaseCall,
  encodeRunnerMember,
  encodeShardLease,
  HeaderNames,
  type HeldLease,
  type JetStreamPublisher,
  LeaseCallTimeout,
  leaseCallTimedOut,
  LeaseStoreError,
  makeLeaseReader,
  type Names,
  type ProcessId,
  type RunnerMember,
  type Shard,
  type ShardLease,
  withinLeaseCall,
  WrongLastSequence,
} from '@larder/messaging';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { headers } from '@nats-io/transport-node';
import { Effect, Either, Option } from 'effect';

/** The server refused a compare-and-set: someone else wrote the key since (or it expired). */
const isConflict = (error: unknown) => error instanceof Error && /wrong last sequence|key exists/i.test(error.message);

/** Runs a compare-and-set through the KV client (no time limit: callers add it): `None` when another writer won. */
const settle = <A>(operation: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (error) => error }).pipe(
    Effect.map(Option.some),
    Effect.catchAll((error) =>
      isConflict(error)
        ? Effect.succeed(Option.none<A>())
        : Effect.fail(new LeaseStoreError({ operation, detail: error instanceof Error ? error.message : String(error) })),
    ),
  );

const compareAndSet = <A>(operation: string, run: () => Promise<A>) => settle(operation, run).pipe(withinLeaseCall(operation));

/** One renewal of a round: the renewed lease, `None` when it was lost, or why it failed. */
export type Renewal = Either.Either<Option.Option<HeldLease>, LeaseStoreError>;

/**
 * `publisher` (the process's fast JetStream publisher) carries the lease compare-and-sets: a KV update
 * is a publish to the key's subject expecting its last revision, without the client's per-call promise,
 * timer and error objects. Without one (tests) they go through the KV client.
 */
export const makeLeaseStore = (names: Names, jsm: JetStreamManager, leases: KV, runners: KV, self: ProcessId, publisher?: JetStreamPublisher) => {
  const key = names.keys.lease;
  const { holders, current, members } = makeLeaseReader(names, jsm, leases, runners);
  const value = (epoch: number, acquiredAt: number, handoffTo?: ProcessId): ShardLease =>
    handoffTo === undefined ? { v: 1, runner: self, epoch, acquiredAt } : { v: 1, runner: self, epoch, acquiredAt, handoffTo };

  /** Writes `lease` if the key is still at `revision` (no time limit: callers add it): the new revision, or `None` when another writer won. */
  const write = (operation: string, shard: Shard, lease: ShardLease, revision: number): Effect.Effect<Option.Option<number>, LeaseStoreError> => {
    if (publisher === undefined) return settle(operation, () => leases.update(key(shard), encodeShardLease(lease), revision));
    const h = headers();
    h.set(HeaderNames.expectedLastSubjectSequence, String(revision));
    return publisher.publish(names.kv.subject(names.buckets.shardLeases, key(shard)), encodeShardLease(lease), h).pipe(
      Effect.map((ack) => Option.some(ack.seq)),
      Effect.catchAll((failure) =>
        failure._tag === 'Refused' && failure.errCode === WrongLastSequence
          ? Effect.succeed(Option.none<number>())
          : Effect.fail(new LeaseStoreError({ operation, detail: `${failure._tag}: ${failure.description}` })),
      ),
    );
  };
  const update = (operation: string, shard: Shard, lease: ShardLease, revision: number) =>
    write(operation, shard, lease, revision).pipe(withinLeaseCall(operation));

  /** Takes a free shard; its epoch is the revision of the create, written back at once. */
  const acquire = (shard: Shard) =>
    Effect.gen(function* () {
      const acquiredAt = Date.now();
      const created = yield* compareAndSet(`acquire shard ${shard}`, () => leases.create(key(shard), encodeShardLease(value(0, acquiredAt))));
      if (Option.isNone(created)) return Option.none<HeldLease>();
      const epoch = created.value;
      const lease = value(epoch, acquiredAt);
      const revision = yield* update(`stamp the epoch of shard ${shard}`, shard, lease, epoch);
      return Option.map(revision, (r): HeldLease => ({ lease, revision: r }));
    });

  const renewing = (shard: Shard, held: HeldLease) =>
    write(`renew shard ${shard}`, shard, held.lease, held.revision).pipe(
      Effect.map(Option.map((revision): HeldLease => ({ lease: held.lease, revision }))),
    );

  /** Renews a held lease; `None` when it was lost (expired and taken, or deleted). */
  const renew = (shard: Shard, held: HeldLease) => renewing(shard, held).pipe(withinLeaseCall(`renew shard ${shard}`));

  /**
   * Renews every lease of `round` at once and hands each outcome to `settled` as soon as it is known. The
   * round has one deadline (the call timeout) instead of a timer per renewal, which cost as much as the
   * renewal itself: a renewal without an answer by then settles as failed. Never fails as a whole.
   */
  const renewAll = (round: ReadonlyMap<Shard, HeldLease>, settled: (shard: Shard, renewal: Renewal) => Effect.Effect<void>) =>
    Effect.gen(function* () {
      const answered = new Set<Shard>();
      yield* Effect.forEach(
        round,
        ([shard, held]) =>
          Effect.either(renewing(shard, held)).pipe(
            // Once the answer is in, the deadline may not cut its handling short.
            Effect.flatMap((renewal) =>
              Effect.uninterruptible(
                Effect.suspend(() => {
                  answered.add(shard);
                  return settled(shard, renewal);
                }),
              ),
            ),
          ),
        { concurrency: 'unbounded', discard: true },
      ).pipe(Effect.timeoutOption(LeaseCallTimeout));
      for (const shard of round.keys()) {
        if (!answered.has(shard)) yield* settled(shard, Either.left(leaseCallTimedOut(`renew shard ${shard}`)()));
      }
    });

  /** Marks a held lease as being handed to `to` (an operator's move). */
  const markHandoff = (shard: Shard, held: HeldLease, to: ProcessId) => {
    const lease = value(held.lease.epoch, held.lease.acquiredAt, to);
    return update(`hand shard ${shard} to ${to}`, shard, lease, held.revision).pipe(
      Effect.map(Option.map((revision): HeldLease => ({ lease, revision }))),
    );
  };

  /** Takes over a lease its holder handed to this runner (`handoffTo`), with a new epoch. */
  const takeHandoff = (shard: Shard, revision: number) =>
    Effect.gen(function* () {
      const acquiredAt = Date.now();
      const taken = yield* update(`take over shard ${shard}`, shard, value(0, acquiredAt), revision);
      if (Option.isNone(taken)) return Option.none<HeldLease>();
      const lease = value(taken.value, acquiredAt);
      const stamped = yield* update(`stamp the epoch of shard ${shard}`, shard, lease, taken.value);
      return Option.map(stamped, (r): HeldLease => ({ lease, revision: r }));
    });

  /** Gives a lease up; a lease already lost is left to its new holder (false). */
  const release = (shard: Shard, held: HeldLease) =>
    compareAndSet(`release shard ${shard}`, () => leases.delete(key(shard), { previousSeq: held.revision })).pipe(Effect.map(Option.isSome));

  const heartbeat = (member: RunnerMember) =>
    attemptLeaseCall('heartbeat', () => runners.put(names.keys.runner(self), encodeRunnerMember(member))).pipe(Effect.asVoid);

  /** Removes a runner's membership: its own on leaving, a crashed one's (a live one would write it again with its next heartbeat). */
  const evict = (runner: ProcessId) => attemptLeaseCall(`remove runner ${runner} from the runners`, () => runners.delete(names.keys.runner(runner)));
  const leave = evict(self);

  return { acquire, takeHandoff, renew, renewAll, markHandoff, release, holders, current, heartbeat, members, leave, evict };
};

export type LeaseStore = ReturnType<typeof makeLeaseStore>;
