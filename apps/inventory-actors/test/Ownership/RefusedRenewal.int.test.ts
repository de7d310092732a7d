// A refused renewal is not always a lost lease: under load a renewal's write can land while its answer
// is lost (or a round and an out-of-turn renewal race), leaving this runner with a stale revision of a
// lease that is still its own. The runner must keep the shard then, and give it up only when the key
// holds another runner's lease.
import { decodeShardLease, encodeShardLease, ProcessId, Shard } from '@larder/messaging';
import type { KvEntry } from '@nats-io/kv';
import { Effect, Exit, Scope } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LeaseBuckets, leaseTestNames, openLeaseBuckets } from '../Support/LeaseBuckets.js';
import { makeOwnership } from '../../src/Ownership/Ownership.js';

const names = leaseTestNames(2);
const self = ProcessId.make('runner-self');
const other = ProcessId.make('runner-other');
const shard = Shard.make(0);
let b: LeaseBuckets;

beforeAll(async () => {
  b = await openLeaseBuckets(names, self, 3_000);
});
afterAll(async () => b?.close());

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const key = names.keys.lease(shard);

/** Runs an Ownership of shard 0 (pinned) for `body`; hosting a shard is just a scope here. */
const withOwnership = async (body: (hosted: () => ReadonlyArray<Shard>) => Promise<void>) => {
  const scope = Effect.runSync(Scope.make());
  try {
    const ownership = await Effect.runPromise(
      makeOwnership({
        store: b.store(self),
        self,
        shards: [shard],
        pinned: [shard],
        ttlMs: 3_000,
        renewEveryMs: 500,
        balanceEveryMs: 200,
        host: () => Scope.make(),
      }).pipe(Scope.extend(scope)),
    );
    await Effect.runPromise(ownership.ready);
    await body(ownership.hosted);
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void));
  }
};

/**
 * Writes `valueOf(current)` over the lease at its current revision and returns the entry it wrote over. The
 * runner renews every 500 ms, so a renewal can land between the read and the write ("wrong last sequence"):
 * then it reads again and retries, a few times.
 */
const overwriteLease = async (valueOf: (current: KvEntry) => Uint8Array): Promise<KvEntry> => {
  for (let tries = 1; ; tries++) {
    const before = await b.leases.get(key);
    if (before === null) throw new Error('no lease after ready');
    try {
      await b.leases.update(key, valueOf(before), before.revision);
      return before;
    } catch (e) {
      if (tries >= 10 || !String(e).includes('wrong last sequence')) throw e;
    }
  }
};

/** Watches `hosted()` every 20 ms for `ms`: whether the shard was ever dropped. */
const everDropped = async (hosted: () => ReadonlyArray<Shard>, ms: number) => {
  let dropped = false;
  for (const until = Date.now() + ms; Date.now() < until; await sleep(20)) if (!hosted().includes(shard)) dropped = true;
  return dropped;
};

describe('a renewal refused because the key moved on', () => {
  it('keeps the shard when the key still holds this runner’s lease (its own write landed unseen)', async () => {
    await withOwnership(async (hosted) => {
      // The same value written again at the current revision: what a renewal whose answer was lost leaves.
      const before = await overwriteLease((current) => current.value);
      const epoch = decodeShardLease(before.value);
      expect(await everDropped(hosted, 2_500)).toBe(false);
      const after = await b.leases.get(key);
      expect(after?.revision).toBeGreaterThan(before.revision + 1); // renewals went on from the adopted revision
      expect(after === null ? null : decodeShardLease(after.value)).toEqual(epoch);
    });
  });

  it('gives the shard up when another runner’s lease is in the key', async () => {
    await withOwnership(async (hosted) => {
      await overwriteLease((before) => encodeShardLease({ v: 1, runner: other, epoch: before.revision + 100, acquiredAt: Date.now() }));
      await sleep(1_500);
      expect(hosted()).not.toContain(shard);
    });
  });
});
