// Scenario 2, spread: `skus` (10,000) SKUs seeded with `stockPerSku` each, every hold on a random
// one: max rate with `clients` (200) closed-loop clients, then an open loop at a fixed rate; the same
// on baselines (b) and (c) seeded alike; oversell read back per SKU from every record.
import { checkOversell } from './CheckOversell.js';
import { holdsPerSecond } from './FlashSale.js';
import { runMaxRate, runOpenLoop, type LoadTarget } from './HttpLoad.js';
import { journalLastSeq } from './MovementSums.js';
import { baselineReserveRequest, reserveRequest } from './Requests.js';
import { atLeast, ratio, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import type { SuiteContext } from './SuiteContext.js';

export const spreadSku = (n: number) => `SPREAD-${n}`;

export const runSpread = async (ctx: SuiteContext): Promise<ScenarioReport> => {
  const o = ctx.options.spread;
  const key = ctx.system.apiKey;
  const stop = () => ctx.watchdog.trouble() !== null;
  const skus = Array.from({ length: o.skus }, (_, i) => spreadSku(i));
  const random = () => skus[Math.floor(Math.random() * skus.length)] ?? 'SPREAD-0';
  const afterSeq = await journalLastSeq(ctx.jsm, ctx.system.names);
  const seedMs = await seedSkus(ctx.sender, [ctx.api.url], key, skus, o.stockPerSku);
  ctx.log(`  seeded ${o.skus} SKUs × ${o.stockPerSku} in ${seedMs} ms`);
  const warmCount = ctx.options.smoke ? 100 : 2_000;
  const openCount = Math.round(o.openRate * o.openSeconds);
  const larder = (prefix: string): LoadTarget => ({ origin: ctx.api.url, make: (i) => reserveRequest(key, random(), `${prefix}-${i}`), expect: [201, 409, 503] });
  const runs: Array<LabeledRun> = [];
  await runMaxRate(larder('spread-warm'), { connections: o.clients, count: warmCount, stop });
  const max = await ctx.measure('spread max-rate holds', 'larder', 'POST /v1/reservations', () => runMaxRate(larder('spread-max'), { connections: o.clients, count: o.requests, stop }));
  const open = await ctx.measure(`spread open-loop ${o.openRate}/s`, 'larder', 'POST /v1/reservations', () =>
    runOpenLoop(larder('spread-open'), { rate: o.openRate, count: openCount, connections: ctx.options.openConnections, stop }),
  );
  runs.push(max, open);

  const rb = await ctx.baselines.reserve();
  const supplied = new Map(skus.map((s) => [s, o.stockPerSku]));
  await rb.stores.seed(supplied);
  const baseline = async (which: 'b' | 'c') => {
    const [origin, pid] = which === 'b' ? [rb.pgOrigin, rb.pgPid] : [rb.redisOrigin, rb.redisPid];
    const name = which === 'b' ? 'baseline-b' : 'baseline-c';
    const route = which === 'b' ? 'POST /reserve (Postgres row lock + ledger)' : 'POST /reserve (Redis Lua)';
    const target: LoadTarget = { origin, make: () => baselineReserveRequest(random()), expect: [201, 409] };
    await runMaxRate(target, { connections: o.clients, count: warmCount, stop });
    const bMax = await ctx.measure(`spread max-rate ${name}`, name, route, () => runMaxRate(target, { connections: o.clients, count: o.requests, stop }), { server: pid });
    const bOpen = await ctx.measure(`spread open-loop ${o.openRate}/s ${name}`, name, route, () => runOpenLoop(target, { rate: o.openRate, count: openCount, connections: ctx.options.openConnections, stop }), { server: pid });
    runs.push(bMax, bOpen);
    return { max: bMax, open: bOpen, total201: [bMax, bOpen].reduce((n, r) => n + (r.result.statusCounts['201'] ?? 0), 0) + warmCount };
  };
  const b = await baseline('b');
  const c = await baseline('c');
  const larderHeld = [max, open].reduce((n, r) => n + (r.result.statusCounts['201'] ?? 0), 0) + warmCount;
  const larderCheck = await checkOversell(ctx.oversell, supplied, afterSeq, larderHeld, null);
  const pgCheck = await rb.stores.checkPg(supplied, b.total201);
  const redisCheck = await rb.stores.checkRedis(supplied, c.total201);
  const hps = holdsPerSecond(max.result);
  return {
    id: 'spread',
    title: `Spread: ${o.skus.toLocaleString('en-US')} SKUs, a random SKU per single-unit hold, ${o.clients} clients × ${o.requests.toLocaleString('en-US')} holds, then ${o.openRate}/s open loop`,
    runs,
    figures: { holdsPerSecond: hps, baselineBHoldsPerSecond: holdsPerSecond(b.max.result), baselineCHoldsPerSecond: holdsPerSecond(c.max.result), seedMs, ledgerCatchUpMs: larderCheck.ledgerWaitMs },
    ratios: [
      { name: 'spread holds/s ÷ baseline (b) Postgres', value: ratio(hps, holdsPerSecond(b.max.result)), target: atLeast(ratio(hps, holdsPerSecond(b.max.result)), 2, '×') },
      { name: 'spread holds/s ÷ baseline (c) Redis', value: ratio(hps, holdsPerSecond(c.max.result)), target: null },
      { name: `spread open-loop p99 ÷ baseline (b) p99 at ${o.openRate}/s`, value: ratio(open.result.latency.p99Ms, b.open.result.latency.p99Ms), target: null },
      { name: `spread open-loop p99 ÷ baseline (c) p99 at ${o.openRate}/s`, value: ratio(open.result.latency.p99Ms, c.open.result.latency.p99Ms), target: null },
    ],
    oversell: [
      { label: `Larder, ${o.skus} SKUs (warm-up + max rate + open loop)`, report: larderCheck },
      { label: `baseline (b), ${o.skus} SKUs`, report: pgCheck },
      { label: `baseline (c), ${o.skus} SKUs`, report: redisCheck },
    ],
    notes: [`${o.stockPerSku} units per SKU: with ${(o.requests + openCount + warmCount).toLocaleString('en-US')} holds over ${o.skus.toLocaleString('en-US')} SKUs nearly none is refused; the 201 count includes the ${warmCount} warm-up holds.`],
  };
};
