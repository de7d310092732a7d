// What `larder runners` and the operator console's Operations page show: every live runner with its
// start, heartbeat age, drain state, pinned shards and the shards whose leases it holds; leases held
// by a runner that is no longer live; and the shards nobody owns.
import { Schema } from 'effect';
import type { Names } from '../Names/Names.js';
import { shardsOf, type OwnershipSnapshot } from './OwnershipSnapshot.js';

const Shards = Schema.Array(Schema.Int);

export const RunnerReport = Schema.Struct({
  runner: Schema.String,
  /** Epoch ms. */
  startedAt: Schema.Int,
  /** Epoch ms of its last heartbeat. */
  heartbeatAt: Schema.Int,
  /** How old that heartbeat was when read (by the reader's clock). */
  heartbeatAgeMs: Schema.Int,
  /** Draining: it takes no shards and hands its own over. */
  draining: Schema.Boolean,
  /** Static ownership (`LARDER_OWNED_SHARDS`); null: a fair share. */
  pinned: Schema.NullOr(Shards),
  /** The shards whose lease it holds, in order. */
  shards: Shards,
});
export type RunnerReport = typeof RunnerReport.Type;

/** A lease whose holder has no live heartbeat: it expires within the bucket's TTL. */
export const OrphanLease = Schema.Struct({ shard: Schema.Int, runner: Schema.String });

export const RunnersReport = Schema.Struct({
  namespace: Schema.String,
  /** How many shards the deployment has. */
  shards: Schema.Int,
  /** How many of them have a live lease. */
  owned: Schema.Int,
  runners: Schema.Array(RunnerReport),
  orphanLeases: Schema.Array(OrphanLease),
  /** Shards without a live lease: nobody serves them. */
  unowned: Shards,
});
export type RunnersReport = typeof RunnersReport.Type;

export const runnersReport = (snapshot: OwnershipSnapshot, names: Names): RunnersReport => {
  const runners = snapshot.members.map((m) => ({
    runner: m.runner,
    startedAt: m.startedAt,
    heartbeatAt: m.heartbeatAt,
    heartbeatAgeMs: snapshot.readAt - m.heartbeatAt,
    draining: m.draining,
    pinned: m.pinned === undefined ? null : [...m.pinned],
    shards: [...shardsOf(snapshot, m.runner)],
  }));
  const live = new Set(runners.map((r) => r.runner));
  return {
    namespace: names.namespace,
    shards: names.allShards.length,
    owned: snapshot.leases.size,
    runners,
    orphanLeases: [...snapshot.leases].filter(([, held]) => !live.has(held.lease.runner)).map(([shard, held]) => ({ shard, runner: held.lease.runner })),
    unowned: names.allShards.filter((shard) => !snapshot.leases.has(shard)),
  };
};
