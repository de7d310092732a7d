// The runner's observability, started once per process: its metrics, the `/metrics` + `/healthz`
// endpoint when LARDER_METRICS_PORT is set, and the dead-letter depth poller. Shards report through
// `shard` (ShardMetrics); the ownership code calls `rebalanced` when its set of shards changes.
import type { Names } from '@larder/messaging';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Effect, Option } from 'effect';
import { pollDeadLetterDepth } from './DeadLetterDepth.js';
import { serveMetrics } from './MetricsServer.js';
import { ObservabilityConfig } from './ObservabilityConfig.js';
import { makeRunnerMetrics } from './RunnerMetrics.js';
import { makeShardMetrics } from './ShardMetrics.js';

export interface RunnerObservabilityDeps {
  readonly jsm: JetStreamManager;
  readonly names: Names;
}

export const startRunnerObservability = ({ jsm, names }: RunnerObservabilityDeps) =>
  Effect.gen(function* () {
    const config = yield* ObservabilityConfig;
    const serving = Option.isSome(config.metricsPort);
    const metrics = makeRunnerMetrics({ collectDefaults: serving });
    metrics.shardsTotal.set(names.shards);
    if (Option.isSome(config.metricsPort)) {
      const { url } = yield* serveMetrics(metrics.registry, config.metricsHost, config.metricsPort.value);
      yield* Effect.logInfo(`metrics on ${url}/metrics`).pipe(Effect.annotateLogs({ metricsUrl: `${url}/metrics` }));
      // Only a scraped runner needs it: one stream-info request per poll (10 s by default).
      yield* pollDeadLetterDepth(jsm, names, metrics.dlqDepth, config.dlqPollMs);
    }
    return {
      config,
      metrics,
      shard: makeShardMetrics(metrics),
      /** Call once per rebalance that changed the set of shards this runner hosts. */
      rebalanced: () => metrics.shardRebalances.inc(),
    };
  });

export type RunnerObservability = Effect.Effect.Success<ReturnType<typeof startRunnerObservability>>;
