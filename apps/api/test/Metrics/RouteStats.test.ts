// The per-route request counts and latencies kept in arrays render as the same Prometheus series a
// prom-client counter and histogram would: status classes, cumulative `le` buckets, sum and count.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { makeRouteStats } from '../../src/Metrics/RouteStats.js';

const linesOf = async (registry: Registry, series: string) =>
  (await registry.metrics()).split('\n').filter((line) => line.startsWith(series));

describe('route stats', () => {
  it('counts answers by status class and places each latency in the first bucket that holds it', async () => {
    const registry = new Registry();
    const stats = makeRouteStats(registry, [0.001, 0.01]);
    const stock = stats.route('/v1/stock/:sku', 'GET');
    stock.record(200, 0.0005);
    stock.record(200, 0.001); // on the bound: counted in it, as Prometheus' `le` says
    stock.record(404, 0.005);
    stock.record(503, 3);

    expect(await linesOf(registry, 'larder_http_requests_total{')).toEqual([
      'larder_http_requests_total{route="/v1/stock/:sku",method="GET",status="2xx"} 2',
      'larder_http_requests_total{route="/v1/stock/:sku",method="GET",status="4xx"} 1',
      'larder_http_requests_total{route="/v1/stock/:sku",method="GET",status="5xx"} 1',
    ]);
    expect(await linesOf(registry, 'larder_http_request_duration_seconds')).toEqual([
      'larder_http_request_duration_seconds_bucket{le="0.001",route="/v1/stock/:sku",method="GET"} 2',
      'larder_http_request_duration_seconds_bucket{le="0.01",route="/v1/stock/:sku",method="GET"} 3',
      'larder_http_request_duration_seconds_bucket{le="+Inf",route="/v1/stock/:sku",method="GET"} 4',
      'larder_http_request_duration_seconds_sum{route="/v1/stock/:sku",method="GET"} 3.0065',
      'larder_http_request_duration_seconds_count{route="/v1/stock/:sku",method="GET"} 4',
    ]);
  });

  it('shows a route at zero before its first request, and keeps routes apart', async () => {
    const registry = new Registry();
    const stats = makeRouteStats(registry, [0.01]);
    stats.route('/v1/stock', 'GET');
    stats.route('/v1/reservations', 'POST').record(201, 0.002);
    const counts = await linesOf(registry, 'larder_http_request_duration_seconds_count');
    expect(counts).toEqual([
      'larder_http_request_duration_seconds_count{route="/v1/stock",method="GET"} 0',
      'larder_http_request_duration_seconds_count{route="/v1/reservations",method="POST"} 1',
    ]);
    const json = await registry.getMetricsAsJSON();
    const durations = json.find((m) => m.name === 'larder_http_request_duration_seconds');
    expect(durations?.type).toBe('histogram');
    expect(durations?.values).toContainEqual({ labels: { le: '+Inf', route: '/v1/reservations', method: 'POST' }, value: 1, metricName: 'larder_http_request_duration_seconds_bucket' });
  });
});
