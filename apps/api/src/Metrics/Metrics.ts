// The API's Prometheus metrics (prom-client), named per Prometheus conventions: `larder_` prefix,
// `_total` counters, `_seconds` histograms, no per-SKU labels (DESIGN.md §8).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const makeMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'larder_api_' });
  const latency = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  return {
    registry,
    httpRequests: new Counter({
      name: 'larder_http_requests_total',
      help: 'HTTP requests answered, by route and status class',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'larder_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['route', 'method'] as const,
      buckets: latency,
      registers: [registry],
    }),
    reservations: new Counter({
      name: 'larder_reservations_total',
      help: 'Reservation outcomes: held, insufficient, conflict, closed, unavailable',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    idempotencyHits: new Counter({
      name: 'larder_idempotency_replays_total',
      help: 'Requests answered from a stored idempotency record',
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: 'larder_stock_cache_lookups_total',
      help: 'Stock reads from the in-memory projection, by result (hit, miss)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    projectionLag: new Histogram({
      name: 'larder_projection_lag_seconds',
      help: 'Time from a stock change (its asOf) to its arrival in this instance\'s cache',
      buckets: latency,
      registers: [registry],
    }),
  };
};

export type Metrics = ReturnType<typeof makeMetrics>;
