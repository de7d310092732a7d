// Scenario 3, reads: `GET /v1/stock/{sku}` and the 20-SKU batch form, answered from each API
// instance's memory, against baseline (a), a bare Fastify route answering a constant in a child
// process of its own: max rate (closed loop, `connections`) and an open loop at a fixed rate.
import { runMaxRate, runOpenLoop, type LoadTarget } from './HttpLoad.js';
import { bareRequest, batchRequest, stockRequest } from './Requests.js';
import { atLeast, ratio, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import type { SuiteContext } from './SuiteContext.js';
import type { SystemName } from './ScenarioReport.js';

export const runReads = async (ctx: SuiteContext): Promise<ScenarioReport> => {
  const o = ctx.options.reads;
  const key = ctx.system.apiKey;
  const stop = () => ctx.watchdog.trouble() !== null;
  const skus = Array.from({ length: o.batchSkus }, (_, i) => `READ-${String(i).padStart(2, '0')}`);
  await seedSkus(ctx.sender, [ctx.api.url], key, skus, 1_000);
  const bare = await ctx.baselines.bare();
  const cases: ReadonlyArray<{ name: string; system: SystemName; route: string; target: LoadTarget; pids: Record<string, number> }> = [
    { name: 'baseline (a)', system: 'baseline-a', route: 'GET /baseline (bare Fastify, child process)', target: { origin: bare.origin, make: () => bareRequest, expect: [200] }, pids: { server: bare.pid } },
    { name: 'one SKU', system: 'larder', route: 'GET /v1/stock/{sku}', target: { origin: ctx.api.url, make: () => stockRequest(key, skus[0] ?? 'READ-00'), expect: [200] }, pids: {} },
    { name: `batch of ${o.batchSkus}`, system: 'larder', route: `GET /v1/stock?sku=…×${o.batchSkus}`, target: { origin: ctx.api.url, make: () => batchRequest(key, skus), expect: [200] }, pids: {} },
  ];
  const runs: Array<LabeledRun> = [];
  const maxRate = new Map<string, LabeledRun>();
  const open = new Map<string, LabeledRun>();
  for (const c of cases) {
    await runMaxRate(c.target, { connections: o.connections, seconds: o.warmupSeconds, stop });
    const m = await ctx.measure(`reads max-rate ${c.name}`, c.system, c.route, () => runMaxRate(c.target, { connections: o.connections, seconds: o.seconds, stop }), c.pids);
    const ol = await ctx.measure(`reads open-loop ${o.openRate}/s ${c.name}`, c.system, c.route, () =>
      runOpenLoop(c.target, { rate: o.openRate, count: Math.round(o.openRate * o.seconds), connections: ctx.options.openConnections, stop }),
      c.pids,
    );
    runs.push(m, ol);
    maxRate.set(c.name, m);
    open.set(c.name, ol);
  }
  const rate = (name: string) => maxRate.get(name)?.result.answersPerSecond ?? null;
  const p99 = (name: string) => open.get(name)?.result.latency.p99Ms ?? null;
  const one = ratio(rate('one SKU'), rate('baseline (a)'));
  const batch = ratio(rate(`batch of ${o.batchSkus}`), rate('baseline (a)'));
  return {
    id: 'reads',
    title: `Reads: GET /v1/stock/{sku} and the ${o.batchSkus}-SKU batch vs a bare Fastify route`,
    runs,
    figures: {
      oneSkuPerSecond: rate('one SKU'),
      batchPerSecond: rate(`batch of ${o.batchSkus}`),
      batchSkuReadsPerSecond: (rate(`batch of ${o.batchSkus}`) ?? 0) * o.batchSkus,
      baselineAPerSecond: rate('baseline (a)'),
    },
    ratios: [
      { name: 'GET one SKU ÷ baseline (a), max rate', value: one, target: atLeast(one, 0.9, '×') },
      { name: `GET batch of ${o.batchSkus} ÷ baseline (a), max rate`, value: batch, target: null },
      { name: `GET one SKU p99 ÷ baseline (a) p99 at ${o.openRate}/s`, value: ratio(p99('one SKU'), p99('baseline (a)')), target: null },
      { name: `GET batch p99 ÷ baseline (a) p99 at ${o.openRate}/s`, value: ratio(p99(`batch of ${o.batchSkus}`), p99('baseline (a)')), target: null },
    ],
    oversell: [],
    notes: [`Max rate: ${o.connections} keep-alive connections for ${o.seconds} s after ${o.warmupSeconds} s of warm-up; the generator (this process) parses every answer's headers and discards the body.`],
  };
};
