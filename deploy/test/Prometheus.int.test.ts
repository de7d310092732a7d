// A real Prometheus scraping a running Larder (a shard runner and an API instance as child processes on
// the real NATS, Postgres and Redis) every second, with the committed alert rules loaded: after a little
// traffic every rule evaluates without error, the query inside every alert returns series, every
// Grafana panel query returns data, and the invariants it watches read 0.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  ApiWithoutShedding,
  deleteNamespaceStreams,
  deleteRedisKeys,
  dropPostgresSchema,
  freePort,
  makeTestNamespace,
  requireNats,
  requirePostgres,
  requireRedis,
  startLarderProcess,
  type LarderProcess,
} from '@larder/testing';
import { connect } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startPrometheus, type RunningPrometheus } from './PrometheusServer.js';
import { readRepoFile, repoPath } from './Support/RepoFiles.js';

const SHARDS = 4;

/**
 * The part of each alert that must return series on a healthy, lightly used Larder (the full alert
 * expression is empty there: nothing is wrong). Each entry must appear verbatim in its rule's expr.
 */
const innerQueries: Readonly<Record<string, ReadonlyArray<string>>> = {
  LarderOversell: ['max(larder_oversell_units)'],
  LarderInvariantDrift: ['sum by (store) (increase(larder_invariant_drift_total[15m]))'],
  LarderShardWithoutOwner: ['max(larder_shards_total)', 'max by (shard) (larder_shard_owned)'],
  LarderDeadLetters: ['max(larder_dlq_depth)'],
  LarderCommandLatencyHigh: ['histogram_quantile(0.99, sum by (path, le) (rate(larder_command_duration_seconds_bucket[5m])))'],
  LarderHttpErrorRate: ['sum by (job) (rate(larder_http_requests_total{route!~"/metrics|/healthz|/readyz"}[5m]))'],
  LarderHttpLatencyHigh: [
    'histogram_quantile(0.99, sum by (route, le) (rate(larder_http_request_duration_seconds_bucket{route!~"/metrics|/healthz|/readyz"}[5m])))',
  ],
  LarderProjectionLagHigh: ['histogram_quantile(0.99, sum by (instance, le) (rate(larder_projection_lag_seconds_bucket[5m])))'],
  LarderApiNotReady: ['min by (instance, check) (larder_api_ready)'],
  LarderStockStreamDrops: ['sum by (instance) (increase(larder_stock_stream_dropped_total[15m]))'],
  LarderTargetDown: ['up{job=~"larder-.*"}'],
  LarderEventLoopLagHigh: ['max by (job, instance) ({__name__=~"larder_(api|runner)_nodejs_eventloop_lag_p99_seconds"})'],
};

const RuleFile = Schema.Struct({ groups: Schema.Array(Schema.Struct({ rules: Schema.Array(Schema.Struct({ alert: Schema.String, expr: Schema.String })) })) });
const alertRules = Schema.decodeUnknownSync(RuleFile)(parse(readRepoFile('deploy/prometheus/rules/larder.rules.yml'))).groups.flatMap((g) => g.rules);

const Dashboard = Schema.Struct({
  panels: Schema.Array(Schema.Struct({ title: Schema.String, targets: Schema.optional(Schema.Array(Schema.Struct({ expr: Schema.String }))) })),
});
const panelQueries = Schema.decodeUnknownSync(Dashboard)(JSON.parse(readRepoFile('deploy/grafana/dashboards/larder.json'))).panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr.replaceAll('$__rate_interval', '1m') })),
);

const Targets = Schema.Struct({
  data: Schema.Struct({ activeTargets: Schema.Array(Schema.Struct({ labels: Schema.Record({ key: Schema.String, value: Schema.String }), health: Schema.String })) }),
});
const Rules = Schema.Struct({
  data: Schema.Struct({
    groups: Schema.Array(
      Schema.Struct({
        rules: Schema.Array(Schema.Struct({ name: Schema.String, health: Schema.String, lastError: Schema.optional(Schema.String), lastEvaluation: Schema.String })),
      }),
    ),
  }),
});
const Alerts = Schema.Struct({ data: Schema.Struct({ alerts: Schema.Array(Schema.Struct({ labels: Schema.Struct({ alertname: Schema.String }), state: Schema.String })) }) });

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const normalise = (promql: string) => promql.replace(/\s+/g, ' ').trim();

let runner: LarderProcess | undefined;
let api: LarderProcess | undefined;
let prometheus: RunningPrometheus | undefined;
let cleanup: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  const [nats, pg, redis] = await Promise.all([requireNats(), requirePostgres(), requireRedis()]);
  const ns = makeTestNamespace();
  cleanup = async () => {
    await api?.stop();
    await runner?.stop();
    const nc = await connect({ servers: nats.url });
    await deleteNamespaceStreams(nc, ns.nats);
    await nc.close();
    await dropPostgresSchema(pg.url, ns.postgresSchema);
    const r = new Redis(redis.url);
    await deleteRedisKeys(r, ns.redisPrefix);
    await r.quit();
  };
  const env = {
    NATS_URL: nats.url,
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    LARDER_NAMESPACE: ns.nats,
    LARDER_SHARDS: String(SHARDS),
    LARDER_DB_SCHEMA: ns.postgresSchema,
    LARDER_REDIS_PREFIX: ns.redisPrefix,
    LOG_LEVEL: 'info',
  };
  const [runnerMetricsPort, apiPort] = [await freePort(), await freePort()];
  runner = await startLarderProcess({
    name: 'runner',
    entry: 'apps/inventory-actors/src/main.ts',
    env: { ...env, LARDER_METRICS_PORT: String(runnerMetricsPort), LARDER_AUDIT_EVERY_MS: '300', LARDER_AUDIT_SAMPLE: '20', LARDER_DLQ_POLL_MS: '500' },
    ready: '"runner ready"',
    readyTimeoutMs: 60_000,
  });
  const key = `lk_${randomBytes(24).toString('base64url')}`;
  const keys = [{ name: 'prometheus-test', sha256: createHash('sha256').update(key).digest('hex'), scopes: ['admin'] }];
  api = await startLarderProcess({
    name: 'api',
    entry: 'apps/api/src/main.ts',
    env: { ...env, ...ApiWithoutShedding, HOST: '127.0.0.1', PORT: String(apiPort), LARDER_API_KEYS: JSON.stringify(keys) },
    ready: '"api ready"',
    readyTimeoutMs: 60_000,
  });

  // A little traffic: a restock (INV_CMD), holds that sell the SKU out, a refused hold, an order beyond
  // stock (a shortfall), reads that hit and miss, and a bad request.
  const base = `http://127.0.0.1:${apiPort}`;
  const headers = { 'x-api-key': key, 'content-type': 'application/json' };
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(body) });
  const sku = `PROM-${randomBytes(4).toString('hex')}`;
  expect((await post('/v1/restocks', { sku, qty: 5, reference: 'po-prometheus' })).status).toBe(202);
  for (let tries = 0; (await fetch(`${base}/v1/stock/${sku}`, { headers })).status !== 200; tries++) {
    if (tries > 200) throw new Error(`the restock of ${sku} never reached the API's cache`);
    await sleep(50);
  }
  expect((await post('/v1/reservations', { lines: [{ sku, qty: 5 }], ttlSeconds: 600 })).status).toBe(201);
  expect((await post('/v1/reservations', { lines: [{ sku, qty: 1 }], ttlSeconds: 600 })).status).toBe(409);
  expect((await post('/v1/orders', { orderId: `order-${sku}`, lines: [{ sku, qty: 2 }] })).status).toBe(202);
  expect((await fetch(`${base}/v1/stock/${sku}`, { headers })).status).toBe(200);
  expect((await fetch(`${base}/v1/stock/NO-SUCH-${sku}`, { headers })).status).toBe(404);
  expect((await post('/v1/reservations', { lines: [] })).status).toBe(400);

  prometheus = await startPrometheus(
    [
      'global: { scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s }',
      `rule_files: [${JSON.stringify(repoPath('deploy/prometheus/rules/larder.rules.yml'))}]`,
      'scrape_configs:',
      `  - { job_name: larder-api, static_configs: [{ targets: ["127.0.0.1:${apiPort}"] }] }`,
      `  - { job_name: larder-runner, static_configs: [{ targets: ["127.0.0.1:${runnerMetricsPort}"] }] }`,
    ].join('\n'),
  );
  // Both targets up, then enough scrapes for every rate window to have two samples and every rule to run.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { data } = await prometheus.api('/api/v1/targets', Targets);
    if (data.activeTargets.length === 2 && data.activeTargets.every((t) => t.health === 'up')) break;
    if (Date.now() > deadline) throw new Error(`targets not up: ${JSON.stringify(data.activeTargets)}\n${prometheus.output()}`);
    await sleep(250);
  }
  await sleep(5_000);
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await cleanup();
}, 60_000);

const live = () => {
  if (prometheus === undefined) throw new Error('prometheus did not start');
  return prometheus;
};

describe('Prometheus scraping a running Larder with the committed rules', () => {
  it('evaluates every rule of the rule file without error', async () => {
    const { data } = await live().api('/api/v1/rules', Rules);
    const rules = data.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name).sort()).toEqual(alertRules.map((r) => r.alert).sort());
    for (const rule of rules) {
      expect({ rule: rule.name, health: rule.health, lastError: rule.lastError ?? '' }).toEqual({ rule: rule.name, health: 'ok', lastError: '' });
      expect(rule.lastEvaluation.startsWith('0001-'), `${rule.name} was never evaluated`).toBe(false);
    }
  });

  it('gets series from the query inside every alert', async () => {
    expect(Object.keys(innerQueries).sort()).toEqual(alertRules.map((r) => r.alert).sort());
    for (const rule of alertRules) {
      for (const inner of innerQueries[rule.alert] ?? []) {
        expect(normalise(rule.expr), `${rule.alert}: the inner query is not part of its expression`).toContain(normalise(inner));
        const result = await live().query(inner);
        expect(result.length, `${rule.alert}: ${inner} returned no series`).toBeGreaterThan(0);
      }
    }
  });

  it('gets data for every Grafana panel query', async () => {
    expect(panelQueries.length).toBeGreaterThan(20);
    for (const { panel, expr } of panelQueries) {
      const result = await live().query(expr);
      expect(result.length, `panel "${panel}": ${expr} returned no series`).toBeGreaterThan(0);
    }
  });

  it('reads the invariants as held: the auditor ran, found no oversell and no drift, and every shard has an owner', async () => {
    const scalar = async (promql: string) => Number((await live().query(promql))[0]?.value[1]);
    expect(await scalar('sum(larder_audited_skus_total)')).toBeGreaterThan(0);
    expect(await scalar('max(larder_oversell_units)')).toBe(0);
    expect(await scalar('sum(larder_invariant_drift_total)')).toBe(0);
    expect(await scalar('max(larder_shards_total) - count(max by (shard) (larder_shard_owned) == 1)')).toBe(0);
    expect(await scalar('sum(larder_stockouts_total)')).toBe(1);
    expect(await scalar('sum(larder_shortfall_units_total)')).toBe(2);
    expect(await scalar('sum(larder_http_requests_total{status="4xx"})')).toBeGreaterThanOrEqual(3);
    const { data } = await live().api('/api/v1/alerts', Alerts);
    const firing = data.alerts.filter((a) => a.state === 'firing').map((a) => a.labels.alertname);
    expect(firing).toEqual([]);
  });
});
