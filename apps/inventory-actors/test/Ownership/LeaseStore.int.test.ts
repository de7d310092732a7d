// The lease store on the real lease bucket: who holds what (one listing of the keys, reads only of what
// the caller does not know).
import {
  defaultTopologyOptions,
  ensureTopology,
  makeNames,
  Namespace,
  ProcessId,
  Shard,
  Shards,
} from '@larder/messaging';
import { deleteNamespaceStreams, makeTestNamespace, requireNats } from '@larder/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from '@effect/vitest';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Effect, Option } from 'effect';
import { type HeldLease, makeLeaseStore } from '../../src/Ownership/LeaseStore.js';

const ns = makeTestNamespace();
const names = makeNames(Namespace.make(ns.nats), { shards: Shards.make(8) });
const a = ProcessId.make('runner-a');
const b = ProcessId.make('runner-b');
let nc: NatsConnection;
let jsm: JetStreamManager;
let leases: KV;
let runners: KV;

beforeAll(async () => {
  const nats = await requireNats();
  nc = await connect({ servers: nats.url, inboxPrefix: names.inbox.prefix(a) });
  jsm = await jetstreamManager(nc);
  // A TTL no test outlives: an absent key here is one never written.
  await ensureTopology(nc, jsm, names, { ...defaultTopologyOptions, leaseTtlMs: 60_000 });
  const kvm = new Kvm(nc);
  [leases, runners] = await Promise.all([kvm.open(names.buckets.shardLeases), kvm.open(names.buckets.runners)]);
});
afterAll(async () => {
  if (nc !== undefined) {
    await deleteNamespaceStreams(nc, ns.nats);
    await nc.close();
  }
});

const storeOf = (self: ProcessId) => makeLeaseStore(names, jsm, leases, runners, self);
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const taken = async (self: ProcessId, shard: Shard): Promise<HeldLease> => Option.getOrThrow(await run(storeOf(self).acquire(shard)));
// The shards of the holders test, by what their key holds.
const mine = Shard.make(0);
const foreign = Shard.make(1);
const handed = Shard.make(2);
const released = Shard.make(3);
const unreadable = Shard.make(4);
const absent = Shard.make(5);
const purged = Shard.make(6);
const revisionOf = async (shard: Shard) => (await leases.get(names.keys.lease(shard)))?.revision;

describe('holders of a bucket with held, foreign, handed-over, deleted, purged, unreadable and absent leases', () => {
  it('reads only the keys that exist and that the caller does not hold, and keeps their meaning', async () => {
    const held = await taken(a, mine);
    await taken(b, foreign);
    const toA = Option.getOrThrow(await run(storeOf(b).markHandoff(handed, await taken(b, handed), a)));
    await run(storeOf(a).release(released, await taken(a, released)));
    await leases.put(names.keys.lease(unreadable), 'not a lease');
    await taken(b, purged);
    await leases.purge(names.keys.lease(purged));

    const reads = vi.spyOn(leases, 'get');
    const all = [mine, foreign, handed, released, unreadable, absent, purged];
    const holders = await run(storeOf(a).holders(all, new Map([[mine, held]])));
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
    const cli = await run(makeLeaseStore(names, jsm, leases, runners, ProcessId.make('larder-cli')).holders(all));
    expect([...cli].map(([shard, h]) => [shard, h.lease.runner])).toStrictEqual([
      [mine, a],
      [foreign, b],
      [handed, b],
      [unreadable, 'unreadable-lease'],
    ]);
  });
});
