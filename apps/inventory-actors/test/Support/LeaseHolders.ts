// Who holds each shard's lease right now, read from the lease bucket the way the runners write it.
import { decodeShardLease, type Shard } from '@larder/messaging';
import { Kvm } from '@nats-io/kv';
import { Either } from 'effect';
import type { RunnerFixture } from './RunnerFixture.js';

/** Shard → holder (runner id), for every shard with a live lease. */
export const leaseHolders = async (f: RunnerFixture): Promise<Map<Shard, string>> => {
  const kv = await new Kvm(f.nc).open(f.names.buckets.shardLeases);
  const holders = new Map<Shard, string>();
  for (const shard of f.names.allShards) {
    const entry = await kv.get(f.names.keys.lease(shard));
    if (entry === null || entry.operation !== 'PUT') continue;
    const lease = decodeShardLease(entry.value);
    if (Either.isRight(lease)) holders.set(shard, lease.right.runner);
  }
  return holders;
};
