// Which peers' leases a runner frees without waiting for the TTL (ADR 0010, "Crashed owners"): a lease
// and membership of a runner nobody answers for (its connection is gone) are freed and the shard taken;
// a runner that answers its pings keeps its lease; an undecodable lease names nobody to ask and stays.
// The lease TTL is a minute, so nothing here can be expiry. Real NATS, the real probe, an in-process
// Ownership whose "hosting" is just a scope.
import {
  decodeShardLease,
  encodeRunnerControlReply,
  encodeRunnerMember,
  encodeShardLease,
  probeRunner,
  ProcessId,
  Shard,
} from '@larder/messaging';
import { connect } from '@nats-io/transport-node';
import { Effect, Either, Exit, Scope } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOwnership } from '../../src/Ownership/Ownership.js';
import { type LeaseBuckets, leaseTestNames, openLeaseBuckets } from '../Support/LeaseBuckets.js';

const names = leaseTestNames(3);
const self = ProcessId.make('runner-self');
const LeaseTtlMs = 60_000;
let b: LeaseBuckets;

beforeAll(async () => {
  b = await openLeaseBuckets(names, self, LeaseTtlMs);
});
afterAll(async () => b?.close());

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Writes a lease of `shard` for `runner` (and its membership), as that runner would have. */
const leaseFor = async (shard: Shard, runner: ProcessId) => {
  const revision = await b.leases.create(names.keys.lease(shard), encodeShardLease({ v: 1, runner, epoch: 0, acquiredAt: Date.now() }));
  await b.runners.put(names.keys.runner(runner), encodeRunnerMember({ v: 1, runner, startedAt: Date.now(), heartbeatAt: Date.now(), draining: false, shards: [shard] }));
  return revision;
};
const holderOf = async (shard: Shard) => {
  const entry = await b.leases.get(names.keys.lease(shard));
  if (entry === null || entry.operation !== 'PUT') return null;
  const lease = decodeShardLease(entry.value);
  return Either.isRight(lease) ? lease.right.runner : 'undecodable';
};

/** An Ownership pinned to `shard`, with the real probe, for `ms`; what it hosted at the end. */
const runPinned = async (shard: Shard, ms: number) => {
  const scope = Effect.runSync(Scope.make());
  try {
    const ownership = await Effect.runPromise(
      makeOwnership({
        store: b.store(self),
        self,
        shards: [shard],
        pinned: [shard],
        ttlMs: LeaseTtlMs,
        renewEveryMs: 500,
        balanceEveryMs: 200,
        host: () => Scope.make(),
        probe: (runner) => Effect.promise(() => probeRunner(b.nc, names, runner, 200)),
      }).pipe(Scope.extend(scope)),
    );
    await sleep(ms);
    return ownership.hosted();
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void));
  }
};

describe('freeing a peer’s shards before its lease expires', () => {
  it('a runner nobody answers for: its lease and membership are freed, and the shard taken', async () => {
    const shard = Shard.make(0);
    const ghost = ProcessId.make('runner-ghost');
    await leaseFor(shard, ghost);
    expect(await runPinned(shard, 2_000)).toEqual([shard]);
    // The standby's lease replaced the ghost's (it was released on shutdown at the end of runPinned).
    expect(await holderOf(shard)).not.toBe(ghost);
    expect(await b.runners.get(names.keys.runner(ghost))).toMatchObject({ operation: 'DEL' });
  });

  it('a runner that answers its pings keeps its lease', async () => {
    const shard = Shard.make(1);
    const alive = ProcessId.make('runner-alive');
    const nc = await connect({ servers: b.nc.getServer() });
    try {
      nc.subscribe(names.control.subject(alive), { callback: (_e, m) => void m.respond(encodeRunnerControlReply({ v: 1, ok: true, detail: 'hosting 1 shard(s)' })) });
      await nc.flush();
      await leaseFor(shard, alive);
      expect(await runPinned(shard, 2_000)).toEqual([]);
      expect(await holderOf(shard)).toBe(alive);
    } finally {
      await nc.close();
    }
  });

  it('an undecodable lease names nobody to ask: it stays held until it expires', async () => {
    const shard = Shard.make(2);
    await b.leases.create(names.keys.lease(shard), new TextEncoder().encode('written by a newer version?'));
    expect(await runPinned(shard, 2_000)).toEqual([]);
    expect(await holderOf(shard)).toBe('undecodable');
  });
});
