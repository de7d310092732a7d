// A shard runner: connects to NATS, Postgres and Redis, makes sure the streams, buckets and tables
// exist, then hosts every shard it owns until interrupted. Closing it stops intake, lets each actor
// finish its batch in hand, saves snapshots and projections, then drains the connections.
import {
  acquireLarderConnection,
  defaultTopologyOptions,
  ensureTopology,
  makeJetStreamPublisher,
  makeNames,
  ProcessId,
  type Shard,
} from '@larder/messaging';
import { acquireOrm, makeLedgerStore } from '@larder/persistence';
import { nuid } from '@nats-io/transport-node';
import { Context, Effect, ExecutionStrategy, Exit, Layer, Runtime, Scope } from 'effect';
import { Redis } from 'ioredis';
import { RunnerConfig } from './Config/RunnerConfig.js';
import { JetStreamJournalLayer } from './Journal/JetStreamJournal.js';
import { startLedgerProjector } from './Ledger/LedgerProjector.js';
import { CoalescingProjectorLayer } from './Projection/CoalescingProjector.js';
import { Projector } from './Projection/Projector.js';
import { hostShard } from './Shard/ShardHost.js';
import { PostgresSnapshotStoreLayer } from './Snapshot/PostgresSnapshotStore.js';

/** Starts a runner in the current scope and returns once every owned shard is hosted. */
export const startRunner = Effect.gen(function* () {
  const config = yield* RunnerConfig;
  const names = makeNames(config.namespace, { shards: config.shards });
  const processId = ProcessId.make(`runner-${nuid.next()}`);
  yield* Effect.annotateLogsScoped({ runner: processId, namespace: config.namespace });

  const { nc, jsm, js } = yield* acquireLarderConnection(config.natsUrl, names, processId);
  yield* Effect.tryPromise(() => ensureTopology(nc, jsm, names, { ...defaultTopologyOptions, replicas: config.replicas }));

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
  const epoch = Date.now();
  const owned = config.ownedShards === 'all' ? names.allShards : config.ownedShards;
  const hosts = new Map<Shard, Scope.CloseableScope>();

  const onFenced = (shard: Shard, sku: string, detail: string) => {
    const scope = hosts.get(shard);
    if (scope === undefined) return;
    hosts.delete(shard);
    Runtime.runFork(runtime)(
      Effect.logError(`shard ${shard}: another owner appended to ${sku} (${detail}); giving the shard up`).pipe(
        Effect.zipRight(Scope.close(scope, Exit.void)),
      ),
    );
  };

  yield* Effect.forEach(
    owned,
    (shard) =>
      Effect.gen(function* () {
        const scope = yield* Scope.fork(main, ExecutionStrategy.sequential);
        hosts.set(shard, scope);
        yield* hostShard(shard, epoch, { nc, js, jsm, names, policy: config.policy, maxDeliveries: config.maxDeliveries, onFenced }).pipe(
          Scope.extend(scope),
          Effect.provide(context),
        );
      }),
    { concurrency: 8, discard: true },
  );
  yield* Effect.logInfo('runner ready').pipe(
    Effect.annotateLogs({ shards: owned.length, epoch, groupCommit: config.policy.groupCommit }),
  );
  return { processId, names, epoch, shards: owned };
});

/** A runner process's whole life: start, then serve until interrupted. */
export const runRunner = startRunner.pipe(Effect.zipRight(Effect.never));
