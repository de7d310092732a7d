// The lease store on the real lease bucket: who holds what (one listing of the keys, reads only of what
// the caller does not know), and renewals carried by the fast publisher, under one deadline per round.
import { type HeldLease, type JetStreamPublisher, ProcessId, Shard } from '@larder/messaging';
import { afterAll, beforeAll, describe, expect, it, vi } from '@effect/vitest';
import { Effect, Either, Fiber, Option, TestClock } from 'effect';
import { makeLeaseStore, type Renewal } from '../../src/Ownership/LeaseStore.js';
import { type LeaseBuckets, leaseTestNames, openLeaseBuckets } from '../Support/LeaseBuckets.js';

const names = leaseTestNames(8);
const a = ProcessId.make('runner-a');
const b = ProcessId.make('runner-b');
let buckets: LeaseBuckets;

beforeAll(async () => {
  // A TTL no test outlives: an absent key here is one never written.
  buckets = await openLeaseBuckets(names, a, 60_000);
});
afterAll(async () => buckets?.close());

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const taken = async (self: ProcessId, shard: Shard): Promise<HeldLease> => Option.getOrThrow(await run(buckets.store(self).acquire(shard)));
// The shards of the holders test, by what their key holds.
const mine = Shard.make(0);
const foreign = Shard.make(1);
const handed = Shard.make(2);
const released = Shard.make(3);
const unreadable = Shard.make(4);
const absent = Shard.make(5);
const purged = Shard.make(6);
const revisionOf = async (shard: Shard) => (await buckets.leases.get(names.keys.lease(shard)))?.revision;

describe('holders of a bucket with held, foreign, handed-over, deleted, purged, unreadable and absent leases', () => {
  it('reads only the keys that exist and that the caller does not hold, and keeps their meaning', async () => {
    const held = await taken(a, mine);
    await taken(b, foreign);
    const toA = Option.getOrThrow(await run(buckets.store(b).markHandoff(handed, await taken(b, handed), a)));
    await run(buckets.store(a).release(released, await taken(a, released)));
    await buckets.leases.put(names.keys.lease(unreadable), 'not a lease');
    await taken(b, purged);
    await buckets.leases.purge(names.keys.lease(purged));

    const reads = vi.spyOn(buckets.leases, 'get');
    const all = [mine, foreign, handed, released, unreadable, absent, purged];
    const holders = await run(buckets.store(a).holders(all, new Map([[mine, held]])));
    const readKeys = reads.mock.calls.map(([k]) => k).sort();
    reads.mockRestore();

    expect(readKeys).toStrictEqual([foreign, handed, released, unreadable, purged].map(names.keys.lease).sort());
    expect([...holders.keys()]).toStrictEqual([mine, foreign, handed, unreadable]);
    expect(holders.get(mine)).toBe(held);
    expect(holders.get(foreign)).toMatchObject({ lease: { runner: b }, revision: await revisionOf(foreign) });
    expect(holders.get(handed)).toStrictEqual(toA);
    expect(holders.get(handed)?.lease.handoffTo).toBe(a);
    expect(holders.get(unreadable)?.lease.runner).toBe('unreadable-lease');

    // A caller that holds nothing (the CLI) reads every live lease.
    const cli = await run(makeLeaseStore(names, buckets.jsm, buckets.leases, buckets.runners, ProcessId.make('larder-cli')).holders(all));
    expect([...cli].map(([shard, h]) => [shard, h.lease.runner])).toStrictEqual([
      [mine, a],
      [foreign, b],
      [handed, b],
      [unreadable, 'unreadable-lease'],
    ]);
  });
});

describe('renewals through the fast publisher', () => {
  it('move the lease to the revision the server stored, and report a lease written since as lost', async () => {
    const kept = Shard.make(7);
    const stale = Shard.make(5);
    const deleted = Shard.make(3);
    const store = buckets.store(a);
    const first = await taken(a, kept);
    const clientWrites = vi.spyOn(buckets.leases, 'update');
    const renewed = Option.getOrThrow(await run(store.renew(kept, first)));
    expect(clientWrites).not.toHaveBeenCalled();
    clientWrites.mockRestore();
    expect(renewed.revision).toBe(await revisionOf(kept));
    expect((await buckets.leases.get(names.keys.lease(kept)))?.json()).toStrictEqual(renewed.lease);

    const before = await taken(a, stale);
    Option.getOrThrow(await run(store.renew(stale, before)));
    const gone = await taken(a, deleted);
    await buckets.leases.delete(names.keys.lease(deleted));

    const outcomes = new Map<Shard, Renewal>();
    const round = new Map([
      [kept, renewed],
      [stale, before],
      [deleted, gone],
    ]);
    await run(store.renewAll(round, (shard, renewal) => Effect.sync(() => void outcomes.set(shard, renewal))));

    expect(outcomes.get(kept)).toStrictEqual(Either.right(Option.some({ lease: renewed.lease, revision: await revisionOf(kept) })));
    expect(outcomes.get(stale)).toStrictEqual(Either.right(Option.none()));
    expect(outcomes.get(deleted)).toStrictEqual(Either.right(Option.none()));
  });

  it.effect('settle as failed when the round has no answer within the call timeout', () =>
    Effect.gen(function* () {
      const silent: JetStreamPublisher = { publish: () => Effect.never, inFlight: () => 0, close: () => undefined };
      const store = makeLeaseStore(names, buckets.jsm, buckets.leases, buckets.runners, a, silent);
      const lease: HeldLease = { lease: { v: 1, runner: a, epoch: 1, acquiredAt: 0 }, revision: 1 };
      const outcomes = new Map<Shard, Renewal>();
      const round = yield* store
        .renewAll(new Map([[Shard.make(1), lease]]), (shard, renewal) => Effect.sync(() => void outcomes.set(shard, renewal)))
        .pipe(Effect.fork);
      yield* TestClock.adjust('2999 millis');
      expect(outcomes.size).toBe(0);
      yield* TestClock.adjust('1 millis');
      yield* Fiber.join(round);
      const outcome = outcomes.get(Shard.make(1));
      expect(outcome !== undefined && Either.isLeft(outcome) ? outcome.left.detail : outcome).toBe('no answer within 3 seconds');
    }),
  );
});
