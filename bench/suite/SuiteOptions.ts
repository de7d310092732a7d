// `npm run bench` knobs: sizes of every scenario as issue 5 states them, `--smoke` for a run of
// seconds that proves the wiring (its figures mean nothing), `--only=<ids>` for some scenarios.
import { parseArgs } from 'node:util';

export const ScenarioIds = ['flash', 'drop', 'pack', 'consoles', 'spread', 'reads', 'isolation', 'freshness', 'latency', 'latency-history', 'recovery', 'memory'] as const;
export type ScenarioIdOfSuite = (typeof ScenarioIds)[number];

export type RecoveryMode = 'restart' | 'standby';

export interface SuiteOptions {
  readonly smoke: boolean;
  readonly only: ReadonlyArray<ScenarioIdOfSuite>;
  readonly flash: { readonly units: number; readonly requests: number; readonly clients: number; readonly openRate: number; readonly openSeconds: number };
  /**
   * The flash sale run as a drop (its stock, clients and requests are `flash`'s): holds round-robin over
   * `customers`, every `botEvery`-th hold from one of `bots` bot customers instead.
   */
  readonly drop: { readonly customers: number; readonly bots: number; readonly botEvery: number };
  /**
   * The flash sale (`flash.clients` at max rate on one SKU) with stock reads at `readRate`/s measured for
   * `seconds` beside it, over `readSkus` SKUs and the hot one: without, with `clients` live-stream (SSE)
   * clients connected to the API, and without again.
   */
  readonly consoles: { readonly clients: number; readonly seconds: number; readonly readRate: number; readonly readSkus: number };
  readonly spread: { readonly skus: number; readonly stockPerSku: number; readonly requests: number; readonly clients: number; readonly openRate: number; readonly openSeconds: number };
  readonly reads: { readonly connections: number; readonly warmupSeconds: number; readonly seconds: number; readonly openRate: number; readonly batchSkus: number };
  readonly isolation: { readonly rate: number; readonly seconds: number; readonly flashClients: number; readonly restockConnections: number };
  readonly freshness: { readonly changes: number };
  /** One client, one request at a time: how many holds and reads are measured. */
  readonly latency: { readonly requests: number };
  /** Active SKUs (and open holds) measured, and the hold-and-release soak's rate and length. */
  readonly memory: { readonly skus: number; readonly soakRate: number; readonly soakSeconds: number };
  readonly recovery: {
    readonly skus: number;
    readonly hotSkus: number;
    readonly holdsPerHot: number;
    readonly modes: ReadonlyArray<RecoveryMode>;
    /** `--lease-ttl-ms`: LARDER_LEASE_TTL_MS of the recovery scenario's runners; null keeps the runner's default. */
    readonly leaseTtlMs: number | null;
  };
  /** Keep-alive connections of the open-loop generator's pool (requests queue when all are busy). */
  readonly openConnections: number;
}

const full = {
  flash: { units: 20_000, requests: 30_000, clients: 200, openRate: 500, openSeconds: 10 },
  drop: { customers: 20_000, bots: 200, botEvery: 10 },
  consoles: { clients: 100, seconds: 25, readRate: 500, readSkus: 100 },
  spread: { skus: 10_000, stockPerSku: 100, requests: 30_000, clients: 200, openRate: 500, openSeconds: 10 },
  reads: { connections: 64, warmupSeconds: 2, seconds: 10, openRate: 5_000, batchSkus: 20 },
  isolation: { rate: 500, seconds: 10, flashClients: 200, restockConnections: 32 },
  freshness: { changes: 300 },
  latency: { requests: 1_000 },
  memory: { skus: 10_000, soakRate: 250, soakSeconds: 600 },
  recovery: { skus: 10_000, hotSkus: 100, holdsPerHot: 20 },
  openConnections: 256,
};

const smoke: typeof full = {
  flash: { units: 150, requests: 225, clients: 20, openRate: 100, openSeconds: 1 },
  drop: { customers: 200, bots: 4, botEvery: 10 },
  consoles: { clients: 10, seconds: 2, readRate: 100, readSkus: 10 },
  spread: { skus: 100, stockPerSku: 100, requests: 200, clients: 20, openRate: 100, openSeconds: 1 },
  reads: { connections: 16, warmupSeconds: 0.5, seconds: 1, openRate: 500, batchSkus: 20 },
  isolation: { rate: 100, seconds: 1.5, flashClients: 20, restockConnections: 8 },
  freshness: { changes: 20 },
  latency: { requests: 50 },
  memory: { skus: 200, soakRate: 50, soakSeconds: 20 },
  recovery: { skus: 200, hotSkus: 5, holdsPerHot: 4 },
  openConnections: 64,
};

/** `--scale=f`: the counts (units, requests, SKUs, changes, seconds) × f; rates, clients and connections kept. */
const scaled = (b: typeof full, f: number): typeof full => {
  const n = (x: number) => Math.max(1, Math.round(x * f));
  const t = (x: number) => Math.max(0.5, x * f);
  return {
    ...b,
    flash: { ...b.flash, units: n(b.flash.units), requests: n(b.flash.requests), openSeconds: t(b.flash.openSeconds) },
    drop: { ...b.drop, customers: n(b.drop.customers), bots: n(b.drop.bots) },
    consoles: { ...b.consoles, seconds: t(b.consoles.seconds) },
    spread: { ...b.spread, skus: n(b.spread.skus), requests: n(b.spread.requests), openSeconds: t(b.spread.openSeconds) },
    reads: { ...b.reads, seconds: t(b.reads.seconds) },
    isolation: { ...b.isolation, seconds: t(b.isolation.seconds) },
    freshness: { changes: Math.max(20, n(b.freshness.changes)) },
    latency: { requests: Math.max(50, n(b.latency.requests)) },
    memory: { ...b.memory, skus: n(b.memory.skus), soakSeconds: Math.max(20, t(b.memory.soakSeconds)) },
    recovery: { ...b.recovery, skus: n(b.recovery.skus), hotSkus: Math.min(n(b.recovery.hotSkus), n(b.recovery.skus)) },
  };
};

const isScenarioId = (s: string): s is ScenarioIdOfSuite => ScenarioIds.some((id) => id === s);

export const parseSuiteOptions = (argv: ReadonlyArray<string>): SuiteOptions => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      recovery: { type: 'string', default: 'restart' },
      'lease-ttl-ms': { type: 'string' },
      'isolation-rate': { type: 'string' },
      scale: { type: 'string' },
    },
    strict: true,
  });
  const only = (values.only ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const unknown = only.filter((s) => !isScenarioId(s));
  if (unknown.length > 0) throw new Error(`--only: unknown scenario(s) ${unknown.join(', ')}; known: ${ScenarioIds.join(', ')}`);
  const modes: ReadonlyArray<RecoveryMode> =
    values.recovery === 'both' ? ['restart', 'standby'] : values.recovery === 'standby' ? ['standby'] : values.recovery === 'restart' ? ['restart'] : [];
  if (modes.length === 0) throw new Error(`--recovery must be restart, standby or both, got ${JSON.stringify(values.recovery)}`);
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be a number in (0, 1], got ${JSON.stringify(values.scale)}`);
  const base = scaled(values.smoke ? smoke : full, scale);
  const ttlText = values['lease-ttl-ms'];
  const leaseTtlMs = ttlText === undefined ? null : Number(ttlText);
  if (leaseTtlMs !== null && !(Number.isInteger(leaseTtlMs) && leaseTtlMs >= 500)) {
    throw new Error(`--lease-ttl-ms must be a whole number of milliseconds ≥ 500, got ${JSON.stringify(ttlText)}`);
  }
  const rateText = values['isolation-rate'];
  const isolationRate = rateText === undefined ? base.isolation.rate : Number(rateText);
  if (!(Number.isInteger(isolationRate) && isolationRate > 0)) throw new Error(`--isolation-rate must be a whole number of requests a second, got ${JSON.stringify(rateText)}`);
  return {
    smoke: values.smoke,
    only: only.filter(isScenarioId),
    ...base,
    isolation: { ...base.isolation, rate: isolationRate },
    recovery: { ...base.recovery, modes, leaseTtlMs },
  };
};

export const selected = (o: SuiteOptions, id: ScenarioIdOfSuite): boolean => o.only.length === 0 || o.only.includes(id);
