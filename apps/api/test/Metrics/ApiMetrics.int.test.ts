// The API's /metrics after real traffic through a runner on the real services: HTTP requests by route
// and status class, cache hits and misses, idempotent replays, projection lag observed as views arrive, the time waited on
// each write path, and readiness, as Prometheus would scrape them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => f?.cleanup());

const valueIn = (text: string, series: string, labels: Record<string, string> = {}) => {
  const body = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const match = new RegExp(`^${series}${body === '' ? '' : `\\{${body}\\}`} (\\S+)$`, 'm').exec(text);
  return match === null ? undefined : Number(match[1]);
};
const scrape = async () => (await f.api.get('/metrics', { key: null })).text;

describe('after reads, a reservation and its retry, a restock and a bad request', () => {
  it('counts each by route and status class, and times the write paths', async () => {
    const sku = uniqueSku('METRICS');
    await f.seedStock(sku, 5);
    // Seeding polls GET /v1/stock until the view arrives (a 404 and a cache miss while it has not):
    // count what this test sends from here on.
    const before = await scrape();
    const delta = (series: string, labels: Record<string, string> = {}) => (valueIn(after, series, labels) ?? 0) - (valueIn(before, series, labels) ?? 0);
    let after = before;
    expect((await f.api.get(`/v1/stock/${sku}`)).status).toBe(200);
    expect((await f.api.get(`/v1/stock/${uniqueSku('MISSING')}`)).status).toBe(404);
    const hold = { lines: [{ sku, qty: 2 }], ttlSeconds: 600 };
    const idempotencyKey = `metrics-${sku}`;
    expect((await f.api.post('/v1/reservations', hold, { idempotencyKey })).status).toBe(201);
    // The client's retry: answered from the idempotency record, not held twice.
    expect((await f.api.post('/v1/reservations', hold, { idempotencyKey })).headers.get('idempotent-replayed')).toBe('true');
    expect((await f.api.post('/v1/restocks', { sku, qty: 3, reference: 'po-metrics' })).status).toBe(202);
    expect((await f.api.post('/v1/reservations', { lines: [] })).status).toBe(400);
    // The restock's view reaches this instance's cache: one more projection lag observation.
    await f.waitForStock(sku, (v) => v.onHand === 8);

    after = await scrape();
    expect(delta('larder_http_requests_total', { route: '/v1/stock/:sku', method: 'GET', status: '2xx' })).toBeGreaterThanOrEqual(2);
    expect(delta('larder_http_requests_total', { route: '/v1/stock/:sku', method: 'GET', status: '4xx' })).toBe(1);
    expect(delta('larder_http_requests_total', { route: '/v1/reservations', method: 'POST', status: '2xx' })).toBe(2);
    expect(delta('larder_http_requests_total', { route: '/v1/reservations', method: 'POST', status: '4xx' })).toBe(1);
    expect(delta('larder_http_requests_total', { route: '/v1/restocks', method: 'POST', status: '2xx' })).toBe(1);
    expect(delta('larder_http_request_duration_seconds_count', { route: '/v1/reservations', method: 'POST' })).toBe(3);
    expect(delta('larder_stock_cache_lookups_total', { result: 'miss' })).toBe(1);
    expect(delta('larder_stock_cache_lookups_total', { result: 'hit' })).toBeGreaterThanOrEqual(2);
    expect(delta('larder_reservations_total', { outcome: 'held' })).toBe(1);
    expect(delta('larder_idempotency_replays_total')).toBe(1);
    expect(delta('larder_projection_lag_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(delta('larder_reservations_total', { outcome: 'replayed' })).toBe(1);
    // The retry asks the owner again (same command id: a no-op there) before its record answers it.
    expect(delta('larder_api_commands_total', { path: 'request', result: 'accepted' })).toBe(2);
    expect(delta('larder_api_command_duration_seconds_count', { path: 'request' })).toBe(2);
    expect(delta('larder_api_commands_total', { path: 'inv_cmd', result: 'stored' })).toBe(1);
    expect(delta('larder_api_command_duration_seconds_count', { path: 'inv_cmd' })).toBe(1);
  });

  it('reports every readiness check as 1 and the process metrics', async () => {
    const text = await scrape();
    for (const check of ['nats', 'stockProjection']) expect(valueIn(text, 'larder_api_ready', { check })).toBe(1);
    expect(valueIn(text, 'larder_api_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
