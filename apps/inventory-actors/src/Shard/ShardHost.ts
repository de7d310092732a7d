// Everything one runner does for one owned shard, in the order DESIGN.md §3 gives: find the SKUs
// that need to be in memory (open holds, snapshots behind the journal), then subscribe to the
// request subject and consume the shard's commands. Closing the scope stops intake first, lets
// every actor finish its batch in hand, then saves snapshots and projections.
import type { Sku } from '@larder/domain';
import type { Names, Shard } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Tracer } from '@opentelemetry/api';
import { Effect, Exit, Runtime, Scope } from 'effect';
import { makeActorRegistry } from '../Actor/ActorRegistry.js';
import { residentViews } from '../Actor/ResidentViews.js';
import type { ActorHooks } from '../Actor/SkuActor.js';
import type { ActorPolicy } from '../Config/ActorPolicy.js';
import { Journal } from '../Journal/Journal.js';
import { lastSequences } from '../Journal/LastSequences.js';
import { Projector } from '../Projection/Projector.js';
import { noShardMetrics, type ShardMetrics } from '../Observability/ShardMetrics.js';
import { makeSnapshotter } from '../Snapshot/Snapshotter.js';
import { SnapshotStore } from '../Snapshot/SnapshotStore.js';
import { consumeCommands } from './CommandConsumer.js';
import { subscribeRequests } from './RequestResponder.js';
import type { ShardTicker } from './ShardTicker.js';

export interface ShardHostDeps {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Names;
  readonly policy: ActorPolicy;
  readonly maxDeliveries: number;
  /** A newer owner writes this shard: the runner must give it up. */
  readonly onFenced: (shard: Shard, sku: Sku, detail: string) => void;
  /** True while this runner's lease on the shard is valid. */
  readonly owns: Effect.Effect<boolean>;
  /** Where commands, appends and hosting are counted (none when absent). */
  readonly metrics?: ShardMetrics;
  /** Present only when the runner traces: spans per received command, decision and append. */
  readonly tracer?: Tracer | undefined;
  /** The runner's tickers: every hosted shard's expiry tick and snapshot search run on these. */
  readonly tickers: { readonly expiry: ShardTicker; readonly snapshots: ShardTicker };
}

/**
 * SKUs to bring into memory on takeover: no snapshot, a snapshot behind the journal, or open holds.
 * Those with open holds first, most holds first: they have holds to expire on time, are the SKUs being
 * sold, and their read views may miss the dead owner's last projection writes until they are loaded.
 */
const skusToActivate = (shard: Shard, deps: ShardHostDeps) =>
  Effect.gen(function* () {
    const snapshots = yield* SnapshotStore;
    const last = yield* lastSequences(deps.js, deps.jsm, deps.names, shard);
    const summary = yield* snapshots.shardSummary(shard).pipe(
      Effect.catchAll((error) =>
        Effect.logWarning(`shard ${shard}: snapshots unavailable, activating every SKU with a journal`, error).pipe(
          Effect.as(new Map<Sku, { seq: number; openHolds: number }>()),
        ),
      ),
    );
    const wanted: Array<{ readonly sku: Sku; readonly openHolds: number }> = [];
    for (const [sku, seq] of last) {
      const snap = summary.get(sku);
      if (snap === undefined || snap.seq < seq || snap.openHolds > 0) wanted.push({ sku, openHolds: snap?.openHolds ?? 0 });
    }
    return wanted.sort((a, b) => b.openHolds - a.openHolds).map((w) => w.sku);
  });

/** SKUs loaded at once in the background after a takeover. */
const TakeoverLoadConcurrency = 16;

export const hostShard = (shard: Shard, epoch: number, deps: ShardHostDeps) =>
  Effect.gen(function* () {
    const { nc, names, policy } = deps;
    const metrics = deps.metrics ?? noShardMetrics;
    const projector = yield* Projector;
    // Callbacks (NATS subscriptions) log through the runner's logger, not Effect's default one.
    const runtime = yield* Effect.runtime<never>();
    const log = (message: string) => Runtime.runFork(runtime)(Effect.logInfo(message));
    const snapshotter = yield* makeSnapshotter(shard, epoch, policy, deps.tickers.snapshots);
    // Runs last: everything decided before shutdown is in a snapshot. (The runner flushes the
    // shared projector once, after every shard has stopped.)
    yield* Effect.addFinalizer(() =>
      snapshotter.flush.pipe(Effect.catchAll((error) => Effect.logWarning(`shard ${shard}: final snapshot failed`, error))),
    );

    const hooks: ActorHooks = {
      applied: (sku, state, seq, events) => {
        snapshotter.applied(sku, state, seq, events);
        projector.applied({ shard, state, seq, events });
      },
      fenced: (sku, detail) => deps.onFenced(shard, sku, detail),
      owns: deps.owns,
      appended: metrics.appended,
      tracer: deps.tracer,
    };
    const actorsScope = yield* Scope.make();
    yield* Effect.addFinalizer(() => Scope.close(actorsScope, Exit.void));
    const registry = yield* makeActorRegistry(epoch, policy, hooks).pipe(Scope.extend(actorsScope));
    yield* metrics.hosting(shard, registry);
    const journal = yield* Journal;
    yield* projector.residents(residentViews(registry).pipe(Effect.provideService(Journal, journal)));

    const wanted = yield* skusToActivate(shard, deps);

    const subscription = subscribeRequests({ nc, names, shard, registry: metrics.meter(registry, 'request'), log, tracer: deps.tracer });
    yield* Effect.addFinalizer(() => Effect.sync(() => subscription.unsubscribe()));
    yield* consumeCommands({ ...deps, shard, registry: metrics.meter(registry, 'inv_cmd'), log });

    // Serving starts first; the SKUs a takeover must bring back (open holds to expire, projections to
    // catch up) load behind it a few at a time, so a shard of thousands does not flood NATS and Postgres
    // while the SKUs that receive commands load on demand.
    if (wanted.length > 0) {
      const started = Date.now();
      yield* Effect.forEach(wanted, (sku) => registry.warm(sku), { concurrency: TakeoverLoadConcurrency, discard: true }).pipe(
        Effect.zipRight(Effect.suspend(() => Effect.logDebug(`shard ${shard}: activated ${wanted.length} SKUs on takeover in ${Date.now() - started} ms`))),
        Effect.forkScoped,
      );
    }

    yield* deps.tickers.expiry.every(
      `shard ${shard}: expiry tick`,
      Effect.suspend(() =>
        registry.tick(Date.now(), (actor) => {
          const current = snapshotter.isCurrent(actor.sku);
          if (current) snapshotter.forget(actor.sku);
          return current;
        }),
      ),
    );
  });
