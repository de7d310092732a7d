// What a shard's code reports to the runner's metrics, on the hot path: per-command latency and
// outcome (a wrapper around the actor registry), per-append group-commit size, stock-outs and
// shortfalls of each durable batch, and which shards are hosted. Label children are made once here.
import { available, type Event } from '@larder/domain';
import type { ReplyOutcome, Shard } from '@larder/messaging';
import { Effect, type Scope } from 'effect';
import type { ActorRegistry } from '../Actor/ActorRegistry.js';
import type { CommandOutcome, CommandPath, RunnerMetrics } from './RunnerMetrics.js';

export interface ShardMetrics {
  /** The registry, recording each routed command's receipt → answer time and outcome under `path`. */
  readonly meter: (registry: ActorRegistry, path: CommandPath) => ActorRegistry;
  /** A durable append of `commands` decided together (ActorHooks.appended): never called for replays. */
  readonly appended: (commands: number, events: ReadonlyArray<Event>, seconds: number) => void;
  /** Counts `shard` as hosted, and its actors as active, until the current scope closes. */
  readonly hosting: (shard: Shard, registry: ActorRegistry) => Effect.Effect<void, never, Scope.Scope>;
}

/** Reports nothing: for code run without a runner (tools, tests of other parts). */
export const noShardMetrics: ShardMetrics = {
  meter: (registry) => registry,
  appended: () => undefined,
  hosting: () => Effect.void,
};

export const makeShardMetrics = (m: RunnerMetrics): ShardMetrics => {
  const hosted = new Map<Shard, ActorRegistry>();

  const pathMetrics = (path: CommandPath) => {
    const duration = m.commandDuration.labels(path);
    // Counted as plain numbers, added to larder_commands_total when it is scraped.
    const counts = m.commandCounts[path];
    const outcomes: Record<ReplyOutcome['_tag'], CommandOutcome> = { Accepted: 'accepted', Rejected: 'rejected', Retry: 'retry' };
    return { duration, counts, outcomes };
  };
  const byPath = { request: pathMetrics('request'), inv_cmd: pathMetrics('inv_cmd') };

  return {
    meter: (registry, path) => {
      const { duration, counts, outcomes } = byPath[path];
      return {
        ...registry,
        route: (envelope) => {
          const started = performance.now();
          registry.route({
            command: envelope.command,
            span: envelope.span,
            settle: (outcome) => {
              try {
                envelope.settle(outcome);
              } finally {
                duration.observe((performance.now() - started) / 1000);
                counts[outcomes[outcome._tag]] += 1;
              }
            },
          });
        },
      };
    },
    appended: (commands, events, seconds) => {
      m.appendCommands.observe(commands);
      m.appendDuration.observe(seconds);
      for (const event of events) {
        if (event._tag === 'ShortfallRecorded') {
          m.shortfalls.inc();
          m.shortfallUnits.inc(event.shortfall);
          continue;
        }
        if (available(event.before) > 0 && available(event.after) === 0) m.stockouts.inc();
        switch (event._tag) {
          case 'StockReserved':
            if (event.dropId !== undefined) m.dropHolds.inc({ outcome: 'held' });
            break;
          case 'ReservationRefused':
            if (event.dropId !== undefined) m.dropHolds.inc({ outcome: event.reason });
            break;
          case 'DropOpened':
            m.dropEvents.inc({ kind: 'opened' });
            break;
          case 'DropSoldOut':
            m.dropEvents.inc({ kind: 'soldout' });
            break;
          case 'DropClosed':
            m.dropEvents.inc({ kind: 'closed' });
            m.dropUnitsReturned.inc(event.returned);
            break;
          default:
            break;
        }
      }
    },
    hosting: (shard, registry) =>
      Effect.acquireRelease(
        Effect.sync(() => {
          hosted.set(shard, registry);
          m.actorCounts.add(registry.size);
          m.shardOwned.labels(String(shard)).set(1);
          m.shardsOwned.set(hosted.size);
        }),
        () =>
          Effect.sync(() => {
            m.actorCounts.delete(registry.size);
            // A newer hosting of the same shard (a quick hand-back) keeps it counted.
            if (hosted.get(shard) !== registry) return;
            hosted.delete(shard);
            m.shardOwned.labels(String(shard)).set(0);
            m.shardsOwned.set(hosted.size);
          }),
      ).pipe(Effect.asVoid),
  };
};
