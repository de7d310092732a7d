// What each scenario sends and what it measured. Reads and holds go to the API child; baseline (a) is
// the bare Fastify route (this process and a child); (b) and (c) a one-SKU reserve on Postgres / Redis.
import type { LoadMeasured, LoadSpec } from './LoadRun.js';

export type ScenarioId = 'baseline-inline' | 'baseline-child' | 'baseline-pg' | 'baseline-redis' | 'stock-one' | 'stock-batch' | 'reserve';

export interface ApiScenario {
  readonly id: ScenarioId;
  /** As printed, e.g. `GET /v1/stock/{sku}`. */
  readonly route: string;
  /** The status every answer should have; others are counted as unexpected. */
  readonly expectStatus: number;
  readonly request: Omit<LoadSpec, 'connections' | 'seconds'>;
}

export interface Targets {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly readSkus: ReadonlyArray<string>;
  readonly holdSku: string;
  readonly baselineInlineUrl: string;
  readonly baselineChildUrl: string;
  /** `POST /reserve` of the Postgres row-lock and the Redis Lua baselines. */
  readonly baselinePgUrl: string;
  readonly baselineRedisUrl: string;
  /** The one SKU both reservation baselines stock. */
  readonly baselineSku: string;
}

export interface ApiScenarioResult {
  readonly id: ScenarioId;
  readonly route: string;
  readonly connections: number;
  readonly warmup: LoadMeasured;
  readonly measured: LoadMeasured;
  /** Measured answers whose status was not `expectStatus`. */
  readonly unexpected: number;
  readonly expectStatus: number;
  /** % of one core over the measured window: server, runner, generator, natsServer, machine, other. */
  readonly cpuPercent: Readonly<Record<string, number | null>>;
}

export const makeApiScenarios = (t: Targets): ReadonlyArray<ApiScenario> => {
  const auth = { 'x-api-key': t.apiKey };
  const first = t.readSkus[0] ?? '';
  const batch = t.readSkus.map((s) => `sku=${encodeURIComponent(s)}`).join('&');
  const get = (url: string, headers: Readonly<Record<string, string>>): ApiScenario['request'] => ({ url, method: 'GET', headers, body: null, uniqueIds: false });
  // The same load as `reserve`: one SKU, qty 1, a fresh hold per request.
  const reserveBaseline = (url: string): ApiScenario['request'] => ({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: t.baselineSku, qty: 1 }),
    uniqueIds: false,
  });
  return [
    { id: 'baseline-inline', route: 'GET /baseline (bare Fastify, this process)', expectStatus: 200, request: get(t.baselineInlineUrl, {}) },
    { id: 'baseline-child', route: 'GET /baseline (bare Fastify, child process)', expectStatus: 200, request: get(t.baselineChildUrl, {}) },
    { id: 'baseline-pg', route: 'POST /reserve (Fastify + pg: UPDATE … available >= $2, INSERT ledger, 1 tx)', expectStatus: 201, request: reserveBaseline(t.baselinePgUrl) },
    { id: 'baseline-redis', route: 'POST /reserve (Fastify + ioredis: decrement-if-enough Lua)', expectStatus: 201, request: reserveBaseline(t.baselineRedisUrl) },
    { id: 'stock-one', route: 'GET /v1/stock/{sku}', expectStatus: 200, request: get(`${t.apiUrl}/v1/stock/${encodeURIComponent(first)}`, auth) },
    { id: 'stock-batch', route: `GET /v1/stock?sku=… (${t.readSkus.length} SKUs)`, expectStatus: 200, request: get(`${t.apiUrl}/v1/stock?${batch}`, auth) },
    {
      id: 'reserve',
      route: 'POST /v1/reservations (1 line, qty 1)',
      expectStatus: 201,
      request: {
        url: `${t.apiUrl}/v1/reservations`,
        method: 'POST',
        // `[<id>]` becomes a fresh id per request: every hold is a new Idempotency-Key.
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'bench-[<id>]' },
        // An hour: no hold expires during the run (expiries would add appends of their own).
        body: JSON.stringify({ lines: [{ sku: t.holdSku, qty: 1 }], ttlSeconds: 3600 }),
        uniqueIds: true,
      },
    },
  ];
};
