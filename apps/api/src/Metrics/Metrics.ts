// The API's Prometheus metrics (prom-client), named per Prometheus conventions: `larder_` prefix,
// `_total` counters, `_seconds` histograms, no per-SKU labels (DESIGN.md §8).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { makeRouteStats } from './RouteStats.js';

/** Stock cache hits and misses, counted with two numbers (a read adds one) and read at each scrape. */
const makeLookupCounts = (registry: Registry) => {
  const counts = { hit: 0, miss: 0 };
  new Counter({
    name: 'larder_stock_cache_lookups_total',
    help: 'Stock reads from the in-memory projection, by result (hit, miss)',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, counts.hit);
      this.inc({ result: 'miss' }, counts.miss);
    },
  });
  return {
    hits: (n: number) => void (counts.hit += n),
    misses: (n: number) => void (counts.miss += n),
  };
};

export const CommandPaths = ['request', 'inv_cmd'] as const;
export type CommandPath = (typeof CommandPaths)[number];
export const ReadinessChecks = ['nats', 'stockProjection'] as const;
export type ReadinessCheck = (typeof ReadinessChecks)[number];

export const makeMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'larder_api_' });
  const latency = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  /** What `larder_api_ready` reports at each scrape; replaced by the server once it knows its connections. */
  let readiness: () => Readonly<Record<ReadinessCheck, boolean>> = () => ({ nats: false, stockProjection: false });
  const metrics = {
    registry,
    /** Called by the server with the same checks /readyz answers from. */
    reportReadiness: (checks: () => Readonly<Record<ReadinessCheck, boolean>>) => {
      readiness = checks;
    },
    /** `larder_http_requests_total` and `larder_http_request_duration_seconds`, per declared route. */
    routes: makeRouteStats(registry, latency),
    reservations: new Counter({
      name: 'larder_reservations_total',
      help: 'Reservation outcomes: held, insufficient, conflict, in_flight, closed, unavailable, replayed (a retry answered from its record)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    shed: new Counter({
      name: 'larder_http_shed_total',
      help: 'Requests refused with 503 overloaded because this instance was saturated (admission control), by route',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    idempotencyHits: new Counter({
      name: 'larder_idempotency_replays_total',
      help: 'Requests answered from a stored idempotency record',
      registers: [registry],
    }),
    /** `larder_stock_cache_lookups_total{result}`: plain counts on the read path, rendered at scrape. */
    cacheLookups: makeLookupCounts(registry),
    projectionLag: new Histogram({
      name: 'larder_projection_lag_seconds',
      help: 'Time from a stock change (its asOf) to its arrival in this instance\'s cache',
      buckets: latency,
      registers: [registry],
    }),
    commandDuration: new Histogram({
      name: 'larder_api_command_duration_seconds',
      help: 'Time the API waited for the write path, by path: request (the shard owner\'s answer) or inv_cmd (JetStream storing the command)',
      labelNames: ['path'] as const,
      buckets: latency,
      registers: [registry],
    }),
    commands: new Counter({
      name: 'larder_api_commands_total',
      help: 'Commands the API sent to the write path, by path and result (accepted, rejected, retry, no_owner, timeout, malformed, closed; stored, failed)',
      labelNames: ['path', 'result'] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'larder_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: delivered (2xx), failed (retried later), dead_lettered (retry budget spent); no per-endpoint label',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    pollAnswers: new Counter({
      name: 'larder_poll_answers_total',
      help: 'Poll answers received at POST /v1/signals/polls, by outcome: stored (a new respondent answer), changed (a later answer replaced a respondent\'s earlier one), duplicate (changed nothing: sent before, or older than the answer kept)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    streamClients: new Gauge({
      name: 'larder_stock_stream_clients',
      help: 'Clients connected to the live stock stream (GET /v1/stock/events) on this instance',
      registers: [registry],
    }),
    streamEvents: new Counter({
      name: 'larder_stock_stream_events_total',
      help: 'Stock changes written to live-stream clients (one per client per change; replays and snapshots included)',
      registers: [registry],
    }),
    streamDropped: new Counter({
      name: 'larder_stock_stream_dropped_total',
      help: 'Live-stream clients disconnected by this instance because they read too slowly (their unsent bytes passed LARDER_STREAM_MAX_BUFFER_BYTES)',
      registers: [registry],
    }),
    ready: new Gauge({
      name: 'larder_api_ready',
      help: 'Readiness checks of this instance (1 ok, 0 failing): nats, stockProjection (its cache is loaded)',
      labelNames: ['check'] as const,
      registers: [registry],
      collect() {
        const checks = readiness();
        for (const check of ReadinessChecks) this.set({ check }, checks[check] ? 1 : 0);
      },
    }),
  };
  for (const path of CommandPaths) metrics.commandDuration.zero({ path });
  for (const result of ['accepted', 'rejected', 'retry', 'no_owner', 'timeout']) metrics.commands.inc({ path: 'request', result }, 0);
  for (const result of ['stored', 'failed']) metrics.commands.inc({ path: 'inv_cmd', result }, 0);
  for (const outcome of ['delivered', 'failed', 'dead_lettered']) metrics.webhookDeliveries.inc({ outcome }, 0);
  for (const outcome of ['stored', 'changed', 'duplicate']) metrics.pollAnswers.inc({ outcome }, 0);
  return metrics;
};

export type Metrics = ReturnType<typeof makeMetrics>;
