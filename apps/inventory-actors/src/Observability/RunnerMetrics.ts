// The runner's Prometheus metrics (prom-client), named per DESIGN.md §8: `larder_` prefix, `_total`
// counters, `_seconds` histograms, no per-SKU labels. docs/observability.md says what each one means.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const CommandPaths = ['request', 'inv_cmd'] as const;
export type CommandPath = (typeof CommandPaths)[number];
export const CommandOutcomes = ['accepted', 'rejected', 'retry'] as const;
export type CommandOutcome = (typeof CommandOutcomes)[number];
export const AuditedStores = ['kv', 'redis', 'snapshot'] as const;
export type AuditedStore = (typeof AuditedStores)[number];

const latency = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const batchSizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

const zeroOutcomes = (): Record<CommandOutcome, number> => ({ accepted: 0, rejected: 0, retry: 0 });

/** Every metric a runner exports; `collectDefaults` adds the process metrics (`larder_runner_*`). */
export const makeRunnerMetrics = (options: { readonly collectDefaults: boolean } = { collectDefaults: false }) => {
  const registry = new Registry();
  // Default metrics start an event-loop monitor: only for a runner that serves them.
  if (options.collectDefaults) collectDefaultMetrics({ register: registry, prefix: 'larder_runner_' });
  const registers = [registry];
  /** Sizes of the actor registries of the hosted shards, summed at each scrape. */
  const actorCounts = new Set<() => number>();
  /** Commands answered since the last scrape, per path and outcome: plain additions on the hot path. */
  const commandCounts = { request: zeroOutcomes(), inv_cmd: zeroOutcomes() };
  const metrics = {
    registry,
    actorCounts,
    commandCounts,
    commandDuration: new Histogram({
      name: 'larder_command_duration_seconds',
      help: 'Time from a command reaching its shard owner to its answer (reply or ack), after its events are durable; by path',
      labelNames: ['path'] as const,
      buckets: latency,
      registers,
    }),
    commands: new Counter({
      name: 'larder_commands_total',
      help: 'Commands answered by the shard owners, by path and outcome (accepted, rejected, retry)',
      labelNames: ['path', 'outcome'] as const,
      registers,
      collect() {
        for (const path of CommandPaths) {
          const counts = commandCounts[path];
          for (const outcome of CommandOutcomes) {
            if (counts[outcome] > 0) this.inc({ path, outcome }, counts[outcome]);
            counts[outcome] = 0;
          }
        }
      },
    }),
    appendCommands: new Histogram({
      name: 'larder_journal_append_commands',
      help: 'Commands decided together per journal append (the group-commit size)',
      buckets: batchSizes,
      registers,
    }),
    appendDuration: new Histogram({
      name: 'larder_journal_append_duration_seconds',
      help: 'Time from publishing a journal append to its PubAck',
      buckets: latency,
      registers,
    }),
    stockouts: new Counter({
      name: 'larder_stockouts_total',
      help: 'Times a SKU location went from some available units to none',
      registers,
    }),
    shortfalls: new Counter({
      name: 'larder_shortfalls_total',
      help: 'Shortfalls recorded: a sale or negative adjustment took units nobody had free',
      registers,
    }),
    shortfallUnits: new Counter({
      name: 'larder_shortfall_units_total',
      help: 'Units missing in recorded shortfalls',
      registers,
    }),
    dropHolds: new Counter({
      name: 'larder_drop_holds_total',
      help: 'Holds in a drop decided by the SKU owners, by outcome: held, insufficient_stock (allocation gone: lost demand), limit_exceeded, drop_not_open, drop_closed',
      labelNames: ['outcome'],
      registers,
    }),
    dropEvents: new Counter({
      name: 'larder_drop_events_total',
      help: 'Drop moments per SKU: opened, soldout, closed (one each per drop and SKU)',
      labelNames: ['kind'],
      registers,
    }),
    dropUnitsReturned: new Counter({
      name: 'larder_drop_units_returned_total',
      help: 'Unsold allocation units given back to general stock when drops closed',
      registers,
    }),
    dlqDepth: new Gauge({
      name: 'larder_dlq_depth',
      help: 'Messages in the dead-letter stream INV_DLQ (polled)',
      registers,
    }),
    actorsActive: new Gauge({
      name: 'larder_actors_active',
      help: 'SKU actors in memory on this runner (loading or ready)',
      registers,
      collect() {
        let active = 0;
        for (const count of actorCounts) active += count();
        this.set(active);
      },
    }),
    shardsOwned: new Gauge({
      name: 'larder_shards_owned',
      help: 'Shards this runner hosts now',
      registers,
    }),
    shardOwned: new Gauge({
      name: 'larder_shard_owned',
      help: 'Per shard: 1 while this runner hosts it, 0 after it let it go',
      labelNames: ['shard'] as const,
      registers,
    }),
    shardsTotal: new Gauge({
      name: 'larder_shards_total',
      help: 'Shards of the deployment (LARDER_SHARDS): every one must have an owner',
      registers,
    }),
    shardRebalances: new Counter({
      name: 'larder_shard_rebalances_total',
      help: 'Rebalances that changed the set of shards this runner hosts',
      registers,
    }),
    oversellUnits: new Gauge({
      name: 'larder_oversell_units',
      help: 'Units held beyond what was available, found by the invariant auditor in the journals it read (must be 0)',
      registers,
    }),
    invariantDrift: new Counter({
      name: 'larder_invariant_drift_total',
      help: 'Audits that found a projection disagreeing with the journal at its own sequence, by store',
      labelNames: ['store'] as const,
      registers,
    }),
    auditedSkus: new Counter({
      name: 'larder_audited_skus_total',
      help: 'SKUs the invariant auditor recomputed from the journal and compared',
      registers,
    }),
    auditFailures: new Counter({
      name: 'larder_audit_failures_total',
      help: 'SKU audits that could not read the journal or a projection',
      registers,
    }),
  };
  // Every labelled series exists from the start (at 0), so dashboards and rates have data before the first event.
  for (const path of CommandPaths) {
    metrics.commandDuration.zero({ path });
    for (const outcome of CommandOutcomes) metrics.commands.inc({ path, outcome }, 0);
  }
  for (const store of AuditedStores) metrics.invariantDrift.inc({ store }, 0);
  return metrics;
};

export type RunnerMetrics = ReturnType<typeof makeRunnerMetrics>;
