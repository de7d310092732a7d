// Wires the invariant auditor into a runner: opens KV `stock`, reads through the runner's Journal and
// SnapshotStore and its Redis client (also to write missing mirror keys back), and starts the loop
// with the runner's observability settings; what it finds goes into `report`, which the heartbeat carries.
import type { Names, Shard } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Effect } from 'effect';
import type { Redis } from 'ioredis';
import { Journal } from '../Journal/Journal.js';
import type { RunnerObservability } from '../Observability/RunnerObservability.js';
import { makeRedisStockWriter } from '../Projection/RedisStockWriter.js';
import { SnapshotStore } from '../Snapshot/SnapshotStore.js';
import { startAuditLoop } from './AuditLoop.js';
import type { AuditReport } from './AuditReport.js';
import { makeAuditSources } from './AuditSources.js';

export interface RunnerAuditDeps {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Names;
  readonly redis: Redis;
  readonly redisPrefix: string;
  readonly owned: () => ReadonlyArray<Shard>;
  readonly observability: RunnerObservability;
  readonly report: AuditReport;
}

export const startRunnerAudit = (deps: RunnerAuditDeps) =>
  Effect.gen(function* () {
    const { config, metrics } = deps.observability;
    if (config.auditEveryMs <= 0 || config.auditSample <= 0) return;
    const journal = yield* Journal;
    const snapshots = yield* SnapshotStore;
    const kv = yield* Effect.tryPromise(() => new Kvm(deps.nc).open(deps.names.buckets.stock));
    const sources = makeAuditSources({ journal, snapshots, kv, names: deps.names, redis: deps.redis, redisPrefix: deps.redisPrefix });
    const mirror = makeRedisStockWriter({ redis: deps.redis, prefix: deps.redisPrefix });
    yield* startAuditLoop({ ...deps, sources, mirror, metrics, everyMs: config.auditEveryMs, sample: config.auditSample });
  });
