// A shard runner: connects to NATS, Postgres and Redis, makes sure the streams, buckets and tables
// exist, then hosts the shards whose leases it holds (a fair share, or its pinned list) until
// interrupted. Closing it hands every shard over (intake stops, batches finish, snapshots are
// saved, leases freed), flushes projections, then drains the connections.
import {
  acquireLarderConnection,
  defaultTopologyOptions,
  ensureTopology,
  makeJetStreamPublisher,
  makeNames,
  probeRunner,
  ProcessId,
  type Shard,
  startTracing,
} from '@larder/messaging';
import { acquireOrm, makeLedgerStore } from '@larder/persistence';
import { Kvm } from '@nats-io/kv';
import { nuid } from '@nats-io/transport-node';
import { Context, Effect, ExecutionStrategy, Exit, Layer, Runtime, Schedule, Scope } from 'effect';
import { Redis } from 'ioredis';
import { RunnerConfig } from './Config/RunnerConfig.js';
import { JetStreamJournalLayer } from './Journal/JetStreamJournal.js';
import { startLedgerProjector } from './Ledger/LedgerProjector.js';
import { makeAuditReport } from './Audit/AuditReport.js';
import { startRunnerAudit } from './Audit/RunnerAudit.js';
import { startRunnerObservability } from './Observability/RunnerObservability.js';
import { CoalescingProjectorLayer } from './Projection/CoalescingProjector.js';
import { startPackProjector } from './Projection/PackProjector.js';
import { Projector } from './Projection/Projector.js';
import { makeLeaseStore } from './Ownership/LeaseStore.js';
import { subscribeControl } from './Ownership/ControlResponder.js';
import { makeOwnership, type Ownership } from './Ownership/Ownership.js';
import { hostShard } from './Shard/ShardHost.js';
import { makeShardTicker } from './Shard/ShardTicker.js';
import { SnapshotTickMs } from './Snapshot/Snapshotter.js';
import { PostgresSnapshotStoreLayer } from './Snapshot/PostgresSnapshotStore.js';

/** How long a ping to another runner may take before it counts as "alive, but slow" (never as gone). */
const ProbeTimeoutMs = 250;

/** Starts a runner in the current scope and returns once every owned shard is hosted. */
export const startRunner = Effect.gen(function* () {
  const config = yield* RunnerConfig;
  const names = makeNames(config.namespace, { shards: config.shards });
  const processId = ProcessId.make(`runner-${nuid.next()}`);
  yield* Effect.annotateLogsScoped({ runner: processId, namespace: config.namespace });
  const logRuntime = yield* Effect.runtime<never>();
  const tracer = yield* startTracing('larder-runner', { instanceId: processId, warn: (message) => Runtime.runFork(logRuntime)(Effect.logWarning(`tracing: ${message}`)) });

  const { nc, jsm, js } = yield* acquireLarderConnection(config.natsUrl, names, processId);
  yield* Effect.tryPromise(() =>
    ensureTopology(nc, jsm, names, { ...defaultTopologyOptions, replicas: config.replicas, leaseTtlMs: config.leaseTtlMs }),
  ).pipe(
    // Runners starting together race to create the streams and buckets: the loser finds them on a retry.
    Effect.retry(Schedule.exponential('250 millis').pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(5)))),
  );

  const observability = yield* startRunnerObservability({ jsm, names });
  const orm = yield* acquireOrm(config.databaseUrl, config.databaseSchema);

  const redis = yield* Effect.acquireRelease(
    Effect.sync(() => new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false })),
    (r) => Effect.promise(() => r.quit()).pipe(Effect.ignore),
  );
  // Redis being down is a projection outage, not a runner failure: never crash on its errors.
  redis.on('error', () => undefined);

  const publisher = yield* Effect.acquireRelease(
    Effect.sync(() => makeJetStreamPublisher(nc, { inboxPrefix: names.inbox.prefix(processId), timeoutMs: config.appendTimeoutMs })),
    (p) => Effect.sync(() => p.close()),
  );

  // Its own consumer of the journal: the actors never wait on it, and a Postgres outage only delays it.
  yield* startLedgerProjector({ js, jsm, names, store: makeLedgerStore(orm) });

  const services = Layer.mergeAll(
    JetStreamJournalLayer({ names, jsm, publisher }),
    PostgresSnapshotStoreLayer(orm),
    CoalescingProjectorLayer({ nc, js, names, redis, redisPrefix: config.redisPrefix }),
  );
  const context = yield* Layer.build(services);
  // Runs after every shard has stopped (finalizers run in reverse): what was decided is projected once.
  yield* Effect.addFinalizer(() =>
    Context.get(context, Projector).flush.pipe(
      Effect.timeout('10 seconds'),
      Effect.catchAll((error) => Effect.logWarning('final projection flush incomplete; the projections catch up on the next start', error)),
    ),
  );
  const runtime = yield* Effect.runtime<never>();
  const main = yield* Effect.scope;
  // One fiber per period for all hosted shards' expiry ticks (in memory: one shard after another) and
  // snapshot searches (Postgres writes: all shards at once), not one per shard. Made before the hosts'
  // scope, so they stop after it (finalizers run in reverse).
  const tickers = {
    expiry: yield* makeShardTicker(config.policy.expiryTickMs, false),
    snapshots: yield* makeShardTicker(SnapshotTickMs, true),
  };

  const hostsScope = yield* Scope.fork(main, ExecutionStrategy.parallel);
  const kvm = new Kvm(nc);
  const [leaseBucket, runnersBucket] = yield* Effect.tryPromise(() =>
    Promise.all([kvm.open(names.buckets.shardLeases), kvm.open(names.buckets.runners)]),
  );
  // The bucket's TTL is what expires leases; a bucket made earlier keeps its own, so read it.
  const ttlMs = yield* Effect.tryPromise(() => leaseBucket.status()).pipe(Effect.map((status) => status.ttl));
  const pinned = config.ownedShards === 'fair' ? null : config.ownedShards === 'all' ? names.allShards : config.ownedShards;
  // Bound once ownership exists (a shard is hosted only after that).
  let relinquish: (shard: Shard) => Effect.Effect<void> = () => Effect.void;
  // Bound once the pack projector runs (after the first shards are hosted).
  let packsMoved: () => void = () => undefined;

  const onFenced = (shard: Shard, sku: string, detail: string) =>
    Runtime.runFork(runtime)(
      Effect.logError(`shard ${shard}: another owner appended to ${sku} (${detail}); handing the shard over`).pipe(
        Effect.zipRight(Effect.suspend(() => relinquish(shard))),
      ),
    );

  const host = (shard: Shard, epoch: number, owns: Effect.Effect<boolean>) =>
    Effect.gen(function* () {
      const scope = yield* Scope.fork(hostsScope, ExecutionStrategy.sequential);
      yield* hostShard(shard, epoch, { nc, js, jsm, names, policy: config.policy, maxDeliveries: config.maxDeliveries, onFenced, owns, metrics: observability.shard, tracer, tickers }).pipe(
        Scope.extend(scope),
        Effect.provide(context),
        Effect.onError(() => Scope.close(scope, Exit.void)),
      );
      return scope;
    });

  // Before ownership, so it closes after the shutdown drain (finalizers run in reverse): while this
  // process holds a lease, other runners' pings are answered (ControlResponder, RunnerProbe).
  let ownershipMade: Ownership | undefined = undefined;
  // Filled by the auditor (started once shards are hosted), read by every heartbeat.
  const auditReport = makeAuditReport();
  yield* subscribeControl(nc, names, processId, () => ownershipMade);
  const ownership = yield* makeOwnership({
    store: makeLeaseStore(names, jsm, leaseBucket, runnersBucket, processId, publisher),
    self: processId,
    shards: names.allShards,
    pinned,
    ttlMs,
    renewEveryMs: Math.min(config.leaseRenewMs, Math.floor(ttlMs / 3)),
    balanceEveryMs: config.balanceEveryMs,
    host,
    changed: (_hosted, rebalance) => {
      if (rebalance) observability.rebalanced();
      packsMoved();
    },
    // A crashed peer's shards are taken as soon as its connection is gone, not after its leases' TTL.
    probe: (runner) => Effect.promise(() => probeRunner(nc, names, runner, Math.min(ProbeTimeoutMs, config.balanceEveryMs))),
    serverName: () => nc.info?.server_name ?? nc.getServer(),
    audit: auditReport.summary,
  });
  relinquish = ownership.relinquish;
  ownershipMade = ownership;
  // Runs first on shutdown (finalizers run in reverse), while the lease renewals still run.
  const { drain } = ownership;
  yield* Effect.addFinalizer(() =>
    drain.pipe(
      Effect.timeout('60 seconds'),
      Effect.catchAll((error) => Effect.logWarning('drain incomplete; the remaining leases expire on their own', error)),
    ),
  );
  yield* ownership.ready;
  const owned = () => ownership?.hosted() ?? [];
  yield* startRunnerAudit({ nc, js, jsm, names, redis, redisPrefix: config.redisPrefix, owned, observability, report: auditReport }).pipe(Effect.provide(context));
  // Stops first on shutdown (finalizers run in reverse): the next owner of a shard writes its packs.
  packsMoved = (yield* startPackProjector({ nc, js, names, owned })).reproject;
  const hosted = ownership.hosted();
  yield* Effect.logInfo('runner ready').pipe(
    Effect.annotateLogs({ shards: hosted.length, hosted: hosted.join(','), leaseTtlMs: ttlMs, groupCommit: config.policy.groupCommit }),
  );
  return { processId, names, shards: hosted, ownership };
});

/** A runner process's whole life: start, then serve until interrupted. */
export const runRunner = startRunner.pipe(Effect.zipRight(Effect.never));
