// deploy/k8s holds what a Kubernetes deployment of Larder relies on: manifests of known kinds that
// decode against the schemas of the fields we use, selectors that match their pods, Services and probes
// on ports and paths the processes really serve, env the code really reads, Secrets and chart releases
// that agree on names, an HPA and PDBs on the right pods, a runner drain of at least 30 s; and chart
// values for NATS, Postgres and Redis. `kubectl kustomize` renders both kustomizations where kubectl
// exists (it does on these machines); without it the structural checks are the validation.
import { spawnSync } from 'node:child_process';
import { Schema } from 'effect';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readCompose } from './Support/ComposeFile.js';
import { envNamesReadBy, type LarderProcess } from './Support/EnvNamesReadByCode.js';
import {
  type ConfigMap,
  type Container,
  decodeManifest,
  decodeWith,
  type Deployment,
  type HorizontalPodAutoscaler,
  k8sYamlFiles,
  KnownKinds,
  Kustomization,
  loadManifests,
  type Manifest,
  Patch,
  type PodDisruptionBudget,
  type Secret,
  type Service,
  yamlDocuments,
} from './Support/KubeManifests.js';
import { readRepoFile, repoPath, repoPathExists } from './Support/RepoFiles.js';
import { apiServes, runnerServes } from './Support/ServedPaths.js';

const HpaPatch = Schema.Struct({ spec: Schema.Struct({ minReplicas: Schema.Int, maxReplicas: Schema.Int }) });

const base = 'deploy/k8s/base';
const overlay = 'deploy/k8s/overlays/production';
const kustomization = (folder: string) => decodeWith(Kustomization, parse(readRepoFile(`${folder}/kustomization.yaml`)), folder);
const baseKustomization = kustomization(base);
const manifests = loadManifests(base, baseKustomization.resources).map((m) => m.manifest);
const secretsExample = yamlDocuments(readRepoFile(`${base}/secrets.example.yaml`)).map((doc) => decodeManifest(doc, 'secrets.example.yaml'));

const ofKind = <K extends Manifest['kind']>(kind: K, from: ReadonlyArray<Manifest> = manifests) =>
  from.filter((m): m is Extract<Manifest, { kind: K }> => m.kind === kind);
const named = <M extends Manifest>(list: ReadonlyArray<M>, name: string): M => {
  const found = list.find((m) => m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
};

const deployments = ofKind('Deployment');
const api = named(deployments, 'larder-api');
const runner = named(deployments, 'larder-runner');
const processOf: Record<string, LarderProcess> = { 'larder-api': 'api', 'larder-runner': 'runner' };
const servesOf: Record<LarderProcess, (path: string) => boolean> = { api: apiServes, runner: runnerServes };
const container = (d: Deployment): Container => d.spec.template.spec.containers[0];

const matches = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
const podsSelectedBy = (selector: Readonly<Record<string, string>>) =>
  deployments.filter((d) => matches(selector, d.spec.template.metadata.labels)).map((d) => d.metadata.name);

/** A container port by name or number. */
const portOf = (c: Container, ref: number | string) => c.ports.find((p) => p.name === ref || p.containerPort === ref);

describe('deploy/k8s/base: the kustomization', () => {
  it('lists files that exist, and every manifest in the folder except the secrets example', () => {
    for (const resource of baseKustomization.resources) expect(repoPathExists(`${base}/${resource}`), resource).toBe(true);
    const inFolder = k8sYamlFiles()
      .filter((f) => f.startsWith(`${base}/`) && !f.endsWith('/kustomization.yaml'))
      .map((f) => f.slice(base.length + 1));
    expect([...baseKustomization.resources, 'secrets.example.yaml'].sort()).toEqual(inFolder.sort());
    expect(baseKustomization.resources).not.toContain('secrets.example.yaml'); // placeholders are never applied
    expect(baseKustomization.namespace).toBe('larder');
  });

  it('contains only known kinds at their stable apiVersions', () => {
    for (const m of [...manifests, ...secretsExample]) expect(m.apiVersion, m.kind).toBe(KnownKinds[m.kind]);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(
      [
        'Namespace/larder',
        'ConfigMap/larder-config',
        'Deployment/larder-api',
        'Service/larder-api',
        'HorizontalPodAutoscaler/larder-api',
        'PodDisruptionBudget/larder-api',
        'Deployment/larder-runner',
        'Service/larder-runner-metrics',
        'PodDisruptionBudget/larder-runner',
      ].sort(),
    );
  });
});

describe('deploy/k8s/base: workloads', () => {
  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s selects its own pod labels, and only its pods', (_name, d) => {
    expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    expect(podsSelectedBy(d.spec.selector.matchLabels)).toEqual([d.metadata.name]);
  });

  it.each(ofKind('Service').map((s) => [s.metadata.name, s] as const))('Service %s selects one Deployment and targets ports its container exposes', (_name, s: Service) => {
    const [target, ...others] = podsSelectedBy(s.spec.selector);
    expect(others).toEqual([]);
    const d = named(deployments, target ?? '');
    for (const port of s.spec.ports) expect(portOf(container(d), port.targetPort), `${s.metadata.name} → ${String(port.targetPort)}`).toBeDefined();
  });

  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s probes paths its process serves, on ports its container exposes', (name, d) => {
    const c = container(d);
    const serves = servesOf[processOf[name] ?? 'api'];
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
      expect(serves(probe.httpGet.path), `${name}: ${probe.httpGet.path}`).toBe(true);
      expect(portOf(c, probe.httpGet.port)).toBeDefined();
    }
  });

  it('checks the API for readiness on /readyz and liveness on /healthz, and lets endpoints drain before SIGTERM', () => {
    const c = container(api);
    expect([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path]).toEqual(['/readyz', '/healthz']);
    expect(c.lifecycle?.preStop.exec.command).toEqual(['sleep', '5']);
    expect(api.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(5);
  });

  it('gives the runner at least the 30 s drain budget, its compiled entry point and metrics on 0.0.0.0:9464', () => {
    expect(runner.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    const c = container(runner);
    expect(c.command).toEqual(['node', 'apps/inventory-actors/dist/main.js']);
    expect(c.command).toEqual(readCompose().services['runner-1']?.command); // the same process as in compose
    const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ LARDER_REPLICAS: '3', LARDER_METRICS_PORT: '9464', LARDER_METRICS_HOST: '0.0.0.0' });
    expect(portOf(c, 'metrics')?.containerPort).toBe(9464);
    expect(env['LARDER_OWNED_SHARDS']).toBeUndefined(); // a fair share through leases
  });

  it('runs the API on 0.0.0.0 at the port its container exposes', () => {
    const env = Object.fromEntries(container(api).env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '3000' });
    expect(portOf(container(api), 'http')?.containerPort).toBe(3000);
  });
});

describe('deploy/k8s/base: environment, ConfigMap and Secrets', () => {
  const configMaps = ofKind('ConfigMap');
  const examples = ofKind('Secret', secretsExample);

  /** Every variable a container receives: its env, and the keys of the ConfigMaps and Secrets it imports. */
  const envOf = (c: Container) => [
    ...c.env.map((e) => e.name),
    ...(c.envFrom ?? []).flatMap((from) => [
      ...(from.configMapRef === undefined ? [] : Object.keys(named<ConfigMap>(configMaps, from.configMapRef.name).data)),
      ...(from.secretRef === undefined ? [] : Object.keys(named<Secret>(examples, from.secretRef.name).stringData)),
    ]),
  ];

  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s receives only variables its code reads (or expands into one)', (name, d) => {
    const c = container(d);
    const read = envNamesReadBy(processOf[name] ?? 'api');
    const expanded = new Set(c.env.flatMap((e) => [...(e.value ?? '').matchAll(/\$\(([A-Z][A-Z0-9_]*)\)/g)].map((m) => m[1])));
    for (const variable of envOf(c)) expect(read.has(variable) || expanded.has(variable), `${name}: ${variable}`).toBe(true);
  });

  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s expands a variable only after defining it (Kubernetes resolves $(…) in order)', (_name, d) => {
    const names = container(d).env.map((e) => e.name);
    container(d).env.forEach((e, i) => {
      for (const m of (e.value ?? '').matchAll(/\$\(([A-Z][A-Z0-9_]*)\)/g)) expect(names.slice(0, i)).toContain(m[1]);
    });
  });

  it('gives both processes the same namespace, shard count and database; Redis to the runner only', () => {
    for (const d of deployments) expect(container(d).envFrom?.map((f) => f.configMapRef?.name)).toEqual(['larder-config']);
    const database = (d: Deployment) => container(d).env.filter((e) => e.name === 'DATABASE_URL');
    expect(database(api)).toHaveLength(1);
    expect(database(api)).toEqual(database(runner));
    // The API's records are in NATS KV; Redis is the runners' read mirror.
    const redis = ['REDIS_URL', 'REDIS_PASSWORD', 'LARDER_REDIS_PREFIX'];
    expect(envOf(container(api)).filter((name) => redis.includes(name))).toEqual([]);
    expect(envOf(container(runner)).filter((name) => redis.includes(name)).sort()).toEqual([...redis].sort());
    expect(envValue(runner, 'LARDER_REDIS_PREFIX')?.value).toBe('larder:');
  });

  it('reads every Secret key from the secrets example, or from the CloudNativePG app Secret of the postgres release', () => {
    const pg = decodeWith(PostgresValues, chartValues('postgres'), 'postgres-values.yaml');
    for (const d of deployments) {
      for (const e of container(d).env) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref === undefined) continue;
        if (ref.name === `${pg.fullnameOverride}-app`) expect(ref.key).toBe('uri');
        else expect(Object.keys(named<Secret>(examples, ref.name).stringData), `${ref.name}.${ref.key}`).toContain(ref.key);
      }
    }
  });

  it('keeps placeholders in the secrets example only, never a real-looking value', () => {
    for (const s of examples) for (const value of Object.values(s.stringData)) expect(value).toContain('CHANGE_ME');
    expect(examples.every((s) => s.metadata.namespace === 'larder')).toBe(true);
  });
});

describe('deploy/k8s/base: scaling and disruption', () => {
  const hpa: HorizontalPodAutoscaler = named(ofKind('HorizontalPodAutoscaler'), 'larder-api');
  const pdbs = ofKind('PodDisruptionBudget');

  it('autoscales the API Deployment (autoscaling/v2) from at least 2 pods', () => {
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'larder-api' });
    expect(hpa.spec.minReplicas ?? 1).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas ?? 1);
  });

  it('has a PDB that selects the API pods only, keeping one available, and one that evicts runners one at a time', () => {
    const apiPdb: PodDisruptionBudget = named(pdbs, 'larder-api');
    expect(podsSelectedBy(apiPdb.spec.selector.matchLabels)).toEqual(['larder-api']);
    expect(apiPdb.spec.minAvailable).toBe(1);
    const runnerPdb: PodDisruptionBudget = named(pdbs, 'larder-runner');
    expect(podsSelectedBy(runnerPdb.spec.selector.matchLabels)).toEqual(['larder-runner']);
    expect(runnerPdb.spec.maxUnavailable).toBe(1);
  });
});

describe('deploy/k8s/overlays/production', () => {
  const prod = kustomization(overlay);

  it('builds on the base, renames the image the base uses and patches objects the base defines', () => {
    expect(prod.resources).toEqual(['../../base']);
    const baseImages = new Set(deployments.map((d) => container(d).image.split(':')[0]));
    for (const image of prod.images ?? []) expect(baseImages).toContain(image.name);
    for (const r of prod.replicas ?? []) expect(deployments.map((d) => d.metadata.name)).toContain(r.name);
    for (const { path } of prod.patches ?? []) {
      const patch = decodeWith(Patch, parse(readRepoFile(`${overlay}/${path}`)), path);
      expect(manifests.some((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name && m.apiVersion === patch.apiVersion), path).toBe(true);
    }
  });
});

// kubectl (kustomize v5 inside) renders without a cluster. Where it is missing the structural checks
// above are the validation, and this case asserts only that kubectl really is absent.
describe('kubectl kustomize', () => {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const available = probe.error === undefined && probe.status === 0;
  const render = (folder: string) => {
    const run = spawnSync('kubectl', ['kustomize', repoPath(folder)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return yamlDocuments(run.stdout).map((doc, i) => decodeManifest(doc, `${folder} rendered #${i}`));
  };

  it(`renders the base: the same objects, all in namespace larder (${available ? 'kubectl found' : 'no kubectl here: structure only'})`, () => {
    if (!available) {
      expect(available).toBe(false);
      return;
    }
    const rendered = render(base);
    expect(rendered.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort());
    for (const m of rendered) if (m.kind !== 'Namespace') expect(m.metadata.namespace, `${m.kind}/${m.metadata.name}`).toBe('larder');
  });

  it(`renders production with its image, replicas and patches applied (${available ? 'kubectl found' : 'no kubectl here: structure only'})`, () => {
    if (!available) {
      expect(available).toBe(false);
      return;
    }
    const rendered = render(overlay);
    const prodImage = kustomization(overlay).images?.[0];
    for (const d of ofKind('Deployment', rendered)) expect(container(d).image).toBe(`${prodImage?.newName}:${prodImage?.newTag}`);
    const hpa = named(ofKind('HorizontalPodAutoscaler', rendered), 'larder-api');
    const patched = decodeWith(HpaPatch, parse(readRepoFile(`${overlay}/api-hpa.yaml`)), 'api-hpa.yaml');
    expect({ minReplicas: hpa.spec.minReplicas, maxReplicas: hpa.spec.maxReplicas }).toEqual(patched.spec);
    const runners = named(ofKind('Deployment', rendered), 'larder-runner');
    expect(runners.spec.replicas).toBe(kustomization(overlay).replicas?.find((r) => r.name === 'larder-runner')?.count);
  });
});

// ---- chart values ----

const chartValues = (chart: 'nats' | 'postgres' | 'redis'): unknown => parse(readRepoFile(`deploy/k8s/charts/${chart}-values.yaml`));
const SecretEnv = Schema.Struct({ valueFrom: Schema.Struct({ secretKeyRef: Schema.Struct({ name: Schema.String, key: Schema.String }) }) });

const NatsValues = Schema.Struct({
  config: Schema.Struct({
    cluster: Schema.Struct({ enabled: Schema.Literal(true), replicas: Schema.Literal(3) }),
    jetstream: Schema.Struct({
      enabled: Schema.Literal(true),
      fileStore: Schema.Struct({ enabled: Schema.Literal(true), pvc: Schema.Struct({ enabled: Schema.Literal(true), size: Schema.String }) }),
      merge: Schema.Struct({ sync_interval: Schema.Literal('always') }),
    }),
    merge: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  }),
  container: Schema.Struct({ env: Schema.Record({ key: Schema.String, value: SecretEnv }) }),
});

const PostgresValues = Schema.Struct({
  fullnameOverride: Schema.String,
  type: Schema.Literal('postgresql'),
  mode: Schema.Literal('standalone'),
  version: Schema.Struct({ postgresql: Schema.Literal('15') }),
  cluster: Schema.Struct({
    instances: Schema.Int.pipe(Schema.greaterThanOrEqualTo(3)),
    storage: Schema.Struct({ size: Schema.String }),
    initdb: Schema.Struct({ database: Schema.String, owner: Schema.String }),
  }),
});

const RedisValues = Schema.Struct({
  redisReplication: Schema.Struct({
    name: Schema.String,
    clusterSize: Schema.Int.pipe(Schema.greaterThanOrEqualTo(3)),
    redisSecret: Schema.Struct({ secretName: Schema.String, secretKey: Schema.String }),
  }),
  externalConfig: Schema.Struct({ enabled: Schema.Literal(true), data: Schema.String }),
});

/** `# … chart `name` <version> …` on the file's first lines: which chart, pinned to which version. */
const chartHeader = (chart: 'nats' | 'postgres' | 'redis') => readRepoFile(`deploy/k8s/charts/${chart}-values.yaml`).split('\n').slice(0, 3).join(' ');

const envValue = (d: Deployment, name: string) => container(d).env.find((e) => e.name === name);
const configValue = (key: string) => named<ConfigMap>(ofKind('ConfigMap'), 'larder-config').data[key];

describe('deploy/k8s/charts', () => {
  it('names the chart and pins its version in each values file', () => {
    expect(chartHeader('nats')).toMatch(/chart `nats` 2\.12\.\d+/);
    expect(chartHeader('postgres')).toMatch(/CloudNativePG's `cluster` Helm chart, version 0\.\d+\.\d+/);
    expect(chartHeader('redis')).toMatch(/`redis-replication` Helm chart, version 0\.\d+\.\d+/);
  });

  it('nats: a 3-server cluster with JetStream on a PVC each, fsync always, Larder\'s users and their passwords', () => {
    const nats = decodeWith(NatsValues, chartValues('nats'), 'nats-values.yaml');
    expect(nats.config.merge['00$include']).toBe('users.conf');
    // Every password variable users.conf reads is set from the one Secret the Deployments also read.
    const variables = [...readRepoFile('deploy/nats/secure/users.conf').matchAll(/\$(LARDER_NATS_[A-Z]+_PASSWORD)/g)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(0);
    expect(Object.keys(nats.container.env).sort()).toEqual([...new Set(variables)].sort());
    const passwords = named<Secret>(ofKind('Secret', secretsExample), 'larder-nats-passwords');
    for (const { valueFrom } of Object.values(nats.container.env)) {
      expect(valueFrom.secretKeyRef.name).toBe('larder-nats-passwords');
      expect(Object.keys(passwords.stringData)).toContain(valueFrom.secretKeyRef.key);
    }
    for (const [d, user] of [[api, 'api'], [runner, 'runner']] as const) {
      expect(envValue(d, 'NATS_USER')?.value).toBe(user);
      expect(envValue(d, 'NATS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'larder-nats-passwords', key: user });
      expect(readRepoFile('deploy/nats/secure/users.conf')).toContain(`user: "${user}"`);
    }
    // Release `nats` → Service `nats`, the host of NATS_URL.
    expect(configValue('NATS_URL')).toBe('nats://nats:4222');
    expect(readRepoFile('deploy/k8s/charts/nats-values.yaml')).toContain('helm upgrade --install nats nats/nats');
  });

  it('postgres: CloudNativePG with 3 instances of Postgres 15; the app Secret is the one the Deployments read', () => {
    const pg = decodeWith(PostgresValues, chartValues('postgres'), 'postgres-values.yaml');
    expect(pg.cluster.initdb).toEqual({ database: 'larder', owner: 'larder' });
    for (const d of deployments) expect(envValue(d, 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: `${pg.fullnameOverride}-app`, key: 'uri' });
  });

  it('redis: a primary and replicas with append-only persistence; its Secret and master Service are the ones REDIS_URL uses', () => {
    const redis = decodeWith(RedisValues, chartValues('redis'), 'redis-values.yaml');
    expect(redis.externalConfig.data).toContain('appendonly yes');
    const { secretName, secretKey } = redis.redisReplication.redisSecret;
    expect(envValue(runner, 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: secretName, key: secretKey });
    expect(envValue(runner, 'REDIS_URL')?.value).toBe(`redis://:$(REDIS_PASSWORD)@${redis.redisReplication.name}-master:6379`);
    expect([envValue(api, 'REDIS_PASSWORD'), envValue(api, 'REDIS_URL')]).toEqual([undefined, undefined]); // the API does not use Redis
    expect(Object.keys(named<Secret>(ofKind('Secret', secretsExample), secretName).stringData)).toContain(secretKey);
  });
});

