// deploy/grafana as Grafana provisions it: the dashboard has a fixed uid, unique panel ids, and every
// panel a Prometheus query on the datasource uid the provisioning file fixes; its panels cover every
// metric of issue 7 point 1; and the provisioning files point where compose mounts the dashboards.
// (Deploy/test/Prometheus.int.test.ts runs every panel query against a live Larder.)
import { Either, ParseResult, Schema } from 'effect';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readRepoFile } from './Support/RepoFiles.js';

const decode = <A, I>(schema: Schema.Schema<A, I>, input: unknown, what: string): A => {
  const decoded = Schema.decodeUnknownEither(schema)(input);
  if (Either.isLeft(decoded)) throw new Error(`${what}: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`);
  return decoded.right;
};

const Datasource = Schema.Struct({ type: Schema.Literal('prometheus'), uid: Schema.String });
const Target = Schema.Struct({ refId: Schema.String, datasource: Datasource, expr: Schema.NonEmptyTrimmedString, legendFormat: Schema.String });
const GridPos = Schema.Struct({ h: Schema.Int, w: Schema.Int.pipe(Schema.between(1, 24)), x: Schema.Int.pipe(Schema.between(0, 23)), y: Schema.Int });
const Row = Schema.Struct({ id: Schema.Int, type: Schema.Literal('row'), title: Schema.String, gridPos: GridPos });
const Panel = Schema.Struct({
  id: Schema.Int,
  type: Schema.Literal('timeseries', 'stat'),
  title: Schema.NonEmptyTrimmedString,
  description: Schema.NonEmptyTrimmedString,
  datasource: Datasource,
  gridPos: GridPos,
  targets: Schema.NonEmptyArray(Target),
});
const Dashboard = Schema.Struct({
  uid: Schema.String,
  title: Schema.String,
  editable: Schema.Boolean,
  panels: Schema.Array(Schema.Union(Row, Panel)),
});
const DatasourceFile = Schema.Struct({
  apiVersion: Schema.Literal(1),
  datasources: Schema.Tuple(Schema.Struct({ uid: Schema.String, type: Schema.Literal('prometheus'), url: Schema.String })),
});
const ProviderFile = Schema.Struct({
  apiVersion: Schema.Literal(1),
  providers: Schema.Tuple(Schema.Struct({ type: Schema.Literal('file'), options: Schema.Struct({ path: Schema.String }) })),
});
const ComposeGrafana = Schema.Struct({ services: Schema.Struct({ grafana: Schema.Struct({ volumes: Schema.Array(Schema.String) }) }) });

const dashboardFile = 'deploy/grafana/dashboards/larder.json';
const dashboard = decode(Dashboard, JSON.parse(readRepoFile(dashboardFile)), dashboardFile);
const panels = dashboard.panels.flatMap((p) => (p.type === 'row' ? [] : [p]));
const exprs = panels.flatMap((p) => p.targets.map((t) => t.expr));
const datasourceFile = 'deploy/grafana/provisioning/datasources/prometheus.yaml';
const [datasource] = decode(DatasourceFile, parse(readRepoFile(datasourceFile)), datasourceFile).datasources;

/** Issue 7 point 1, as metric names (the API's and the runners'). */
const pointOneMetrics = [
  'larder_http_requests_total',
  'larder_http_request_duration_seconds',
  'larder_reservations_total',
  'larder_idempotency_replays_total',
  'larder_stock_cache_lookups_total',
  'larder_projection_lag_seconds',
  'larder_api_command_duration_seconds',
  'larder_api_commands_total',
  'larder_api_ready',
  'larder_command_duration_seconds',
  'larder_commands_total',
  'larder_journal_append_commands',
  'larder_journal_append_duration_seconds',
  'larder_stockouts_total',
  'larder_shortfalls_total',
  'larder_shortfall_units_total',
  'larder_oversell_units',
  'larder_invariant_drift_total',
  'larder_audited_skus_total',
  'larder_audit_failures_total',
  'larder_dlq_depth',
  'larder_actors_active',
  'larder_shards_owned',
  'larder_shard_owned',
  'larder_shards_total',
  'larder_shard_rebalances_total',
  'up',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_p99_seconds',
];

describe('the Larder dashboard', () => {
  it('has a fixed uid, and unique, fixed panel ids', () => {
    expect(dashboard.uid).toBe('larder-overview');
    expect(dashboard.editable).toBe(false);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id > 0)).toBe(true);
  });

  it('queries, in every panel and target, the datasource uid the provisioning file fixes', () => {
    expect(datasource.uid).toBe('larder-prometheus');
    for (const panel of panels) {
      expect(panel.datasource.uid, panel.title).toBe(datasource.uid);
      for (const target of panel.targets) expect(target.datasource.uid, `${panel.title} ${target.refId}`).toBe(datasource.uid);
      const refIds = panel.targets.map((t) => t.refId);
      expect(new Set(refIds).size, `${panel.title}: refIds repeat`).toBe(refIds.length);
    }
  });

  it('has a panel for every metric of issue 7 point 1', () => {
    const missing = pointOneMetrics.filter((metric) => !exprs.some((expr) => expr.includes(metric)));
    expect(missing).toEqual([]);
  });

  it('uses no template variable but Grafana\'s own $__rate_interval (the live test substitutes it)', () => {
    const variables = new Set(exprs.flatMap((expr) => [...expr.matchAll(/\$\{?(\w+)/g)].map((m) => m[1])));
    expect([...variables]).toEqual(['__rate_interval']);
  });

  it('would be rejected if a panel lost its query (the schema is not vacuous)', () => {
    const broken = { ...JSON.parse(readRepoFile(dashboardFile)), panels: [{ ...panels[0], targets: [] }] };
    expect(Either.isLeft(Schema.decodeUnknownEither(Dashboard)(broken))).toBe(true);
  });
});

describe('the provisioning files', () => {
  it('point Grafana at compose\'s prometheus service and at the folder compose mounts the dashboards into', () => {
    expect(new URL(datasource.url).host).toBe('prometheus:9090');
    const providerFile = 'deploy/grafana/provisioning/dashboards/larder.yaml';
    const [provider] = decode(ProviderFile, parse(readRepoFile(providerFile)), providerFile).providers;
    const compose = decode(ComposeGrafana, parse(readRepoFile('deploy/compose.yaml')), 'deploy/compose.yaml');
    expect(compose.services.grafana.volumes).toContain(`./grafana/dashboards:${provider.options.path}:ro`);
  });
});
