// deploy/compose.yaml holds what the rest of Larder assumes: the backing services a developer starts
// without a profile, the whole system under profile `full` (3-server NATS cluster, runners, APIs,
// Prometheus, Grafana), loopback-only ports, healthchecks, declared volumes, existing mounts, env that
// the code reads; and NATS configs that nats-server accepts. Validated by schema here; additionally by
// `docker compose config` wherever the compose plugin is installed (not on the CI machines today).
import { spawnSync } from 'node:child_process';
import { Either, Schema } from 'effect';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { decodeCompose, durationSeconds, ImageService, LoopbackPort, PinnedImage, readCompose, type Service } from './Support/ComposeFile.js';
import { envNamesReadBy, type LarderProcess } from './Support/EnvNamesReadByCode.js';
import { natsServerCheck, readNatsConfig } from './Support/NatsConfigFile.js';
import { readRepoFile, repoPath, repoPathExists } from './Support/RepoFiles.js';
import { apiServes, runnerServes } from './Support/ServedPaths.js';

const compose = readCompose();
const services = Object.entries(compose.services);
const service = (name: string): Service => {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`compose.yaml has no service ${name}`);
  return found;
};

const natsServers = ['nats-1', 'nats-2', 'nats-3'];
const backing = [...natsServers, 'postgres', 'redis'];
const runners = ['runner-1', 'runner-2', 'runner-3'];
const apis = ['api-1', 'api-2'];
const processOf = (name: string): LarderProcess => (name.startsWith('api-') ? 'api' : 'runner');

/** The URL a `CMD` healthcheck fetches (wget or node's fetch). */
const healthUrl = (s: Service) => /https?:\/\/127\.0\.0\.1:(\d+)(\/[^'" ]*)/.exec(s.healthcheck.test.join(' '));

describe('compose.yaml', () => {
  it('declares exactly the backing services, the Larder processes and the monitoring', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...apis, 'grafana', ...natsServers, 'postgres', 'prometheus', 'redis', ...runners].sort());
  });

  it('starts only the backing services without a profile (the developer flow), everything else under `full`', () => {
    const noProfile = services.filter(([, s]) => s.profiles === undefined).map(([name]) => name);
    expect(noProfile.sort()).toEqual([...backing].sort());
    for (const [name, s] of services) if (!backing.includes(name)) expect(s.profiles, name).toEqual(['full']);
  });

  it('publishes exactly the agreed ports, on 127.0.0.1 only, each host port once', () => {
    const published = Object.fromEntries(services.map(([name, s]) => [name, s.ports ?? []]));
    expect(published).toEqual({
      'nats-1': ['127.0.0.1:4222:4222', '127.0.0.1:8222:8222'],
      'nats-2': [],
      'nats-3': [],
      postgres: ['127.0.0.1:5432:5432'],
      redis: ['127.0.0.1:6379:6379'],
      'runner-1': [],
      'runner-2': [],
      'runner-3': [],
      'api-1': ['127.0.0.1:3000:3000'],
      'api-2': ['127.0.0.1:3001:3000'],
      prometheus: ['127.0.0.1:9090:9090'],
      grafana: ['127.0.0.1:3003:3000'],
    });
    const hostPorts = Object.values(published).flatMap((ports) => ports.map((p) => p.split(':')[1]));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('mounts only declared named volumes and existing repository paths, and uses every declared volume', () => {
    const named = new Set<string>();
    for (const [name, s] of services) {
      for (const mount of s.volumes ?? []) {
        const [source = ''] = mount.split(':');
        if (source.startsWith('./')) expect(repoPathExists(`deploy/${source.slice(2)}`), `${name}: ${source} must exist under deploy/`).toBe(true);
        else {
          expect(Object.keys(compose.volumes), `${name}: volume ${source} must be declared`).toContain(source);
          named.add(source);
        }
      }
    }
    expect([...named].sort()).toEqual(Object.keys(compose.volumes).sort());
  });

  it('depends only on services that exist, have a healthcheck and run whenever the dependant does', () => {
    for (const [name, s] of services) {
      for (const [target, { condition }] of Object.entries(s.depends_on ?? {})) {
        const dependency = service(target);
        expect(condition, `${name} → ${target}`).toBe('service_healthy');
        expect(dependency.healthcheck.test.length).toBeGreaterThan(1);
        if (s.profiles === undefined) expect(dependency.profiles, `${name} has no profile, so ${target} may have none`).toBeUndefined();
      }
    }
    for (const name of runners) expect(Object.keys(service(name).depends_on ?? {})).toEqual(expect.arrayContaining(backing));
    // The APIs do not use Redis (only the runners' read mirror lives there), so they do not wait for it.
    for (const name of apis) {
      expect(Object.keys(service(name).depends_on ?? {})).toEqual(expect.arrayContaining([...natsServers, 'postgres']));
      expect(Object.keys(service(name).depends_on ?? {})).not.toContain('redis');
    }
    // runner-1 alone creates the 3-replica topology and runs migrations before the others start.
    for (const name of ['runner-2', 'runner-3', ...apis]) expect(Object.keys(service(name).depends_on ?? {})).toContain('runner-1');
  });

  it('passes the Larder processes only environment variables their code reads', () => {
    for (const name of [...runners, ...apis]) {
      const read = envNamesReadBy(processOf(name));
      for (const variable of Object.keys(service(name).environment ?? {})) expect(read, `${name}: ${variable}`).toContain(variable);
    }
  });

  it('finds the variables in the source (the check above is not vacuous)', () => {
    expect([...envNamesReadBy('api')]).toEqual(expect.arrayContaining(['HOST', 'PORT', 'NATS_URL', 'DATABASE_URL', 'LARDER_API_KEYS']));
    expect([...envNamesReadBy('runner')]).toEqual(
      expect.arrayContaining(['NATS_URL', 'DATABASE_URL', 'REDIS_URL', 'LARDER_REDIS_PREFIX', 'LARDER_REPLICAS', 'LARDER_OWNED_SHARDS']),
    );
    expect(envNamesReadBy('runner').has('LARDER_API_KEYS')).toBe(false);
    // Only the runners use Redis (their read mirror); the API's records are in NATS KV.
    expect([envNamesReadBy('api').has('REDIS_URL'), envNamesReadBy('api').has('LARDER_REDIS_PREFIX')]).toEqual([false, false]);
  });

  it('finds the operations paths in the API\'s and the runner\'s sources (probes cannot name a path they lack)', () => {
    expect(['/healthz', '/readyz', '/metrics'].map(apiServes)).toEqual([true, true, true]);
    expect(['/healthz', '/metrics'].map(runnerServes)).toEqual([true, true]);
    expect([apiServes('/livez'), runnerServes('/readyz')]).toEqual([false, false]);
  });
});

describe('compose.yaml: the NATS cluster', () => {
  it.each(natsServers)('%s runs its own config from deploy/nats/cluster with JetStream on its own volume', (name) => {
    const s = service(name);
    expect(s.command).toEqual(['-c', `/etc/nats/cluster/${name}.conf`]);
    expect(s.volumes).toContain('./nats/cluster:/etc/nats/cluster:ro');
    expect(s.volumes).toContain(`${name}-data:/data`);
    const config = readNatsConfig(repoPath(`deploy/nats/cluster/${name}.conf`));
    expect(config.serverName).toBe(name);
    expect(config.storeDir).toBe('/data');
    expect(healthUrl(s)?.[1]).toBe(String(config.httpPort));
  });

  it('routes each server to the other two by compose service name, on the cluster port, in one named cluster', () => {
    const configs = natsServers.map((name) => ({ name, config: readNatsConfig(repoPath(`deploy/nats/cluster/${name}.conf`)) }));
    const clusterNames = new Set(configs.map(({ config }) => config.clusterName));
    expect([...clusterNames]).toEqual(['larder']);
    for (const { name, config } of configs) {
      expect(config.clusterListen).toBe('0.0.0.0:6222');
      expect(config.routes.map((r) => r.host).sort()).toEqual(natsServers.filter((n) => n !== name));
      for (const route of config.routes) {
        expect(Object.keys(compose.services)).toContain(route.host);
        expect(route.port).toBe(6222);
      }
    }
  });

  it.each(natsServers)('nats/cluster/%s.conf is accepted by `nats-server -t`', (name) => {
    const run = natsServerCheck(repoPath(`deploy/nats/cluster/${name}.conf`));
    expect(run.output).toContain('is valid');
    expect(run.status).toBe(0);
  });
});

describe('compose.yaml: the Larder processes', () => {
  it.each(runners)('%s runs the compiled runner with 3 replicas, metrics and /healthz on 0.0.0.0:9464, fair shard leases and a 30 s drain', (name) => {
    const s = service(name);
    expect(s.command).toEqual(['node', 'apps/inventory-actors/dist/main.js']);
    expect(repoPathExists('apps/inventory-actors/src/main.ts')).toBe(true);
    expect(s.environment?.['LARDER_REPLICAS']).toBe('3');
    expect(s.environment?.['LARDER_METRICS_PORT']).toBe('9464');
    expect(s.environment?.['LARDER_METRICS_HOST']).toBe('0.0.0.0'); // Prometheus scrapes it from another container
    expect(s.environment?.['LARDER_OWNED_SHARDS']).toBeUndefined();
    expect(healthUrl(s)?.[1]).toBe('9464');
    expect(runnerServes(healthUrl(s)?.[2] ?? '')).toBe(true);
    expect(durationSeconds(s.stop_grace_period ?? '10s')).toBeGreaterThanOrEqual(30);
  });

  it.each(apis)('%s listens on 0.0.0.0:3000 in its container and is checked on a path the API serves', (name) => {
    const s = service(name);
    expect(s.command).toBeUndefined(); // the image's CMD: the API
    expect(s.environment?.['HOST']).toBe('0.0.0.0');
    expect(s.environment?.['PORT']).toBe('3000');
    expect(s.ports?.every((p) => p.endsWith(':3000'))).toBe(true);
    const url = healthUrl(s);
    expect(url?.[1]).toBe('3000');
    expect(apiServes(url?.[2] ?? '')).toBe(true);
  });

  it('shares one namespace, shard count and backing services across every process', () => {
    const shared = ['NATS_URL', 'DATABASE_URL', 'LARDER_NAMESPACE', 'LARDER_SHARDS', 'LARDER_DB_SCHEMA'];
    const views = [...runners, ...apis].map((name) => Object.fromEntries(shared.map((k) => [k, service(name).environment?.[k]])));
    for (const view of views) expect(view).toEqual(views[0]);
    for (const k of shared) expect(views[0]?.[k], k).toBeDefined();
    // Redis only for the runners: the same mirror for all of them, nothing for the APIs.
    const redis = ['REDIS_URL', 'LARDER_REDIS_PREFIX'];
    const runnerViews = runners.map((name) => Object.fromEntries(redis.map((k) => [k, service(name).environment?.[k]])));
    for (const view of runnerViews) expect(view).toEqual({ REDIS_URL: 'redis://redis:6379', LARDER_REDIS_PREFIX: 'larder:' });
    for (const name of apis) for (const k of redis) expect(service(name).environment?.[k], `${name}: ${k}`).toBeUndefined();
    // Every server of the cluster as a seed (LarderConnection splits NATS_URL on commas).
    expect(views[0]?.['NATS_URL']?.split(',')).toEqual(natsServers.map((n) => `nats://${n}:4222`));
  });
});

const PrometheusConfig = Schema.Struct({
  rule_files: Schema.Array(Schema.String),
  scrape_configs: Schema.Array(Schema.Struct({ job_name: Schema.String, static_configs: Schema.Array(Schema.Struct({ targets: Schema.Array(Schema.String) })) })),
});
const GrafanaProvider = Schema.Struct({ providers: Schema.Array(Schema.Struct({ options: Schema.Struct({ path: Schema.String }) })) });
const GrafanaDatasources = Schema.Struct({ datasources: Schema.Array(Schema.Struct({ type: Schema.String, url: Schema.String })) });
const yamlFile = <A, I>(schema: Schema.Schema<A, I>, relative: string) => Schema.decodeUnknownSync(schema)(parseYaml(readRepoFile(relative)));

/** The port a Larder service serves metrics on inside its container: the API's PORT, a runner's LARDER_METRICS_PORT. */
const metricsPort = (name: string) => service(name).environment?.[name.startsWith('api-') ? 'PORT' : 'LARDER_METRICS_PORT'];

describe('compose.yaml: Prometheus and Grafana', () => {
  it('has Prometheus scrape every API and runner at the port it serves metrics on, and nothing else', () => {
    const config = yamlFile(PrometheusConfig, 'deploy/prometheus/prometheus.yml');
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets));
    expect([...targets].sort()).toEqual([...apis, ...runners].map((name) => `${name}:${metricsPort(name) ?? ''}`).sort());
    expect(apiServes('/metrics') && runnerServes('/metrics')).toBe(true);
    expect(config.rule_files.every((f) => f.startsWith('rules/') || f.startsWith('/etc/prometheus/rules/'))).toBe(true);
  });

  it('has Grafana read Prometheus by its compose name and dashboards from the mounted folder', () => {
    const [datasource] = yamlFile(GrafanaDatasources, 'deploy/grafana/provisioning/datasources/prometheus.yaml').datasources;
    expect(datasource?.url).toBe(`http://prometheus:${service('prometheus').ports?.[0]?.split(':')[2] ?? ''}`);
    const paths = yamlFile(GrafanaProvider, 'deploy/grafana/provisioning/dashboards/larder.yaml').providers.map((p) => p.options.path);
    expect(paths).toEqual(['/var/lib/grafana/dashboards']);
  });

  it('mounts the Prometheus config and rules where Prometheus reads them', () => {
    expect(service('prometheus').volumes).toEqual(
      expect.arrayContaining(['./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro', './prometheus/rules:/etc/prometheus/rules:ro']),
    );
  });

  it('mounts the Grafana provisioning and the dashboards folder the provisioning points at', () => {
    expect(service('grafana').volumes).toEqual(
      expect.arrayContaining(['./grafana/provisioning:/etc/grafana/provisioning:ro', './grafana/dashboards:/var/lib/grafana/dashboards:ro']),
    );
  });
});

describe('compose.yaml: the schema rejects what it should (it is not vacuous)', () => {
  it('refuses an unpinned image and a port published beyond loopback', () => {
    expect(Either.isLeft(Schema.decodeUnknownEither(PinnedImage)('redis:latest'))).toBe(true);
    expect(Either.isLeft(Schema.decodeUnknownEither(PinnedImage)('redis'))).toBe(true);
    expect(Either.isRight(Schema.decodeUnknownEither(PinnedImage)('prom/prometheus:v3.5.0'))).toBe(true);
    expect(Either.isLeft(Schema.decodeUnknownEither(LoopbackPort)('4222:4222'))).toBe(true);
    expect(Either.isLeft(Schema.decodeUnknownEither(LoopbackPort)('0.0.0.0:4222:4222'))).toBe(true);
  });

  it('refuses a service without a healthcheck', () => {
    expect(Either.isLeft(Schema.decodeUnknownEither(ImageService)({ image: 'redis:7-alpine', restart: 'unless-stopped' }))).toBe(true);
    expect(() => decodeCompose('name: larder\nservices:\n  redis:\n    image: redis:7-alpine\n    restart: unless-stopped\nvolumes: {}\n')).toThrow(
      /healthcheck/,
    );
  });
});

// The compose plugin validates the whole file (interpolation, merge keys, profiles) without an engine.
// Where it is not installed (the CI machines today: docker CLI without the plugin) the schema above is
// the validation; this case then asserts only that the plugin really is absent.
describe('docker compose config', () => {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const available = plugin.error === undefined && plugin.status === 0;

  it(`accepts compose.yaml with every profile (${available ? 'compose plugin found' : 'no compose plugin here: schema only'})`, () => {
    if (!available) {
      expect(plugin.status === 0 && plugin.error === undefined).toBe(false);
      return;
    }
    const run = spawnSync('docker', ['compose', '-f', repoPath('deploy/compose.yaml'), '--profile', 'full', 'config', '-q'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('nats/nats-server.conf', () => {
  it('is accepted by `nats-server -t`', () => {
    const run = natsServerCheck(repoPath('deploy/nats/nats-server.conf'));
    expect(run.output).toContain('is valid');
    expect(run.status).toBe(0);
  });

  it('would be rejected by `nats-server -t` if it were broken (the check is real)', () => {
    expect(natsServerCheck('/dev/null/missing.conf').status).not.toBe(0);
  });
});
