// Scenario "latency": one client, one request at a time, on an otherwise idle system — what a
// shopper pays when nothing else is happening. Holds (each a fresh Idempotency-Key on a SKU with
// ample stock), then reads of the same SKU, then baseline (c)'s hold with the same single client.
// Closed loop over one connection, so every latency is the request's own (no queueing).
import { runMaxRate, type LoadTarget } from './HttpLoad.js';
import { baselineReserveRequest, reserveRequest, stockRequest } from './Requests.js';
import { atMost, ratio, round2, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import type { SuiteContext } from './SuiteContext.js';

/**
 * `fresh`: first on a new namespace. `history`: last, on the same namespace after every other scenario
 * (tens of thousands of holds, refusals, commits and 10,000 SKUs in its journal, KV buckets and ledger),
 * on a SKU of its own: something on the path that grew with history would show here.
 */
export type LatencyRun = 'fresh' | 'history';

export const runIdleLatency = async (ctx: SuiteContext, run: LatencyRun = 'fresh'): Promise<ScenarioReport> => {
  const Sku = run === 'fresh' ? 'IDLE-ONE' : 'IDLE-HISTORY';
  const count = ctx.options.latency.requests;
  const warm = Math.max(20, Math.round(count / 5));
  const key = ctx.system.apiKey;
  const stop = () => ctx.watchdog.trouble() !== null;
  await seedSkus(ctx.sender, [ctx.api.url], key, [Sku], (count + warm) * 2);
  const one = { connections: 1, stop };
  const holds: LoadTarget = { origin: ctx.api.url, make: (i) => reserveRequest(key, Sku, `idle-${run}-${i}`), expect: [201] };
  const reads: LoadTarget = { origin: ctx.api.url, make: () => stockRequest(key, Sku), expect: [200] };
  await runMaxRate({ ...holds, make: (i) => reserveRequest(key, Sku, `idle-${run}-warm-${i}`) }, { ...one, count: warm });
  const runs: Array<LabeledRun> = [];
  const hold = await ctx.measure(`idle one client, holds (${run} namespace)`, 'larder', 'POST /v1/reservations', () => runMaxRate(holds, { ...one, count }));
  await runMaxRate(reads, { ...one, count: warm });
  const read = await ctx.measure(`idle one client, reads (${run} namespace)`, 'larder', 'GET /v1/stock/{sku}', () => runMaxRate(reads, { ...one, count }));
  const rb = await ctx.baselines.reserve();
  await rb.stores.seed(new Map([[Sku, (count + warm) * 2]]));
  const cTarget: LoadTarget = { origin: rb.redisOrigin, make: () => baselineReserveRequest(Sku), expect: [201] };
  await runMaxRate(cTarget, { ...one, count: warm });
  const c = await ctx.measure(`idle one client, baseline-c holds (${run})`, 'baseline-c', 'POST /reserve (Redis Lua)', () => runMaxRate(cTarget, { ...one, count }), { server: rb.redisPid });
  runs.push(hold, read, c);
  const p50 = hold.result.latency.p50Ms;
  return {
    id: run === 'fresh' ? 'latency' : 'latency-history',
    title: `Idle latency${run === 'fresh' ? ' on a fresh namespace' : ' on the same namespace after every other scenario'}: one client, one request at a time (${count} holds, ${count} reads)`,
    runs,
    figures: {
      holdP50Ms: p50,
      holdP90Ms: hold.result.latency.p90Ms,
      holdP99Ms: hold.result.latency.p99Ms,
      readP50Ms: read.result.latency.p50Ms,
      baselineCHoldP50Ms: c.result.latency.p50Ms,
    },
    ratios: [
      { name: `hold p50, one client on an idle system (${run} namespace)`, value: p50 === null ? null : round2(p50), unit: ' ms', target: atMost(p50, 2, 'ms') },
      { name: 'hold p50 ÷ read p50', value: ratio(p50, read.result.latency.p50Ms), target: null },
      { name: 'hold p50 ÷ baseline (c) hold p50', value: ratio(p50, c.result.latency.p50Ms), target: null },
    ],
    oversell: [],
    notes: [`${warm} requests of warm-up before each measured run; every hold is a fresh Idempotency-Key, each answered before the next is sent.`],
  };
};
