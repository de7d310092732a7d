// Shard ownership on the wire: the value under `shard.<n>` in KV `shard_leases` (who owns the shard,
// under which epoch) and under `<runnerId>` in KV `runners` (a live runner, what it hosts, what its auditor found).
import { Schema } from 'effect';
import { ProcessId } from '../Names/ProcessId.js';
import { AuditSummary } from './AuditSummary.js';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

/**
 * A lease. `epoch` is the KV revision at which the runner created it: revisions only grow, so a later
 * owner always has a larger epoch (0 only in the instant between the create and its first renewal).
 * `handoffTo`: the owner is handing the shard to that runner (operator `larder shards move`); others
 * leave it alone until the lease expires.
 */
export const ShardLease = Schema.Struct({
  v: WireVersion,
  runner: ProcessId,
  epoch: Schema.Int.pipe(Schema.nonNegative()),
  acquiredAt: Schema.Int,
  handoffTo: Schema.optional(ProcessId),
});
export type ShardLease = typeof ShardLease.Type;

/** A runner's heartbeat: `draining` runners take no shards and hand theirs over. */
export const RunnerMember = Schema.Struct({
  v: WireVersion,
  runner: ProcessId,
  startedAt: Schema.Int,
  heartbeatAt: Schema.Int,
  draining: Schema.Boolean,
  /** Static ownership (`LARDER_OWNED_SHARDS`): the only shards it will take; absent = a fair share. */
  pinned: Schema.optional(Schema.Array(Schema.Int)),
  /** Shards it hosts now (for operators; the leases are the truth). */
  shards: Schema.Array(Schema.Int),
  /** Its invariant auditor's latest summary; absent until the auditor has audited a SKU (or when it is off). */
  audit: Schema.optional(AuditSummary),
});
export type RunnerMember = typeof RunnerMember.Type;

const leaseCodec = makeJsonCodec(ShardLease, { name: 'ShardLease', onExcessProperty: 'ignore', encode: 'plain' });
const memberCodec = makeJsonCodec(RunnerMember, { name: 'RunnerMember', onExcessProperty: 'ignore', encode: 'plain' });
export const encodeShardLease = leaseCodec.encode;
export const decodeShardLease = leaseCodec.decode;
export const encodeRunnerMember = memberCodec.encode;
export const decodeRunnerMember = memberCodec.decode;
