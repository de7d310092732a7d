// Scenario 1, the flash sale: one SKU with `units` (20,000), `clients` (200) closed-loop clients send
// `requests` (30,000) single-unit holds → exactly `units` held, the rest refused; then every hold is
// committed. The same 200-client load on baselines (b) and (c), each SKU with the same units; an
// open-loop run at a fixed rate on a SKU of its own; oversell read back from every record.
import { checkOversell } from './CheckOversell.js';
import { waitCommandsApplied } from './IsolationUnderLoad.js';
import { runMaxRate, runOpenLoop, type LoadResult, type LoadTarget } from './HttpLoad.js';
import { journalLastSeq } from './MovementSums.js';
import { baselineReserveRequest, commitRequest, reservationIdOf, reserveRequest } from './Requests.js';
import { atLeast, ratio, round2, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import type { SuiteContext } from './SuiteContext.js';

const Warm = 'FLASH-WARM';
const Max = 'FLASH-MAX';
const Open = 'FLASH-OPEN';

/** Units held per second: 201s ÷ the time from the first send to the last 201. */
export const holdsPerSecond = (r: LoadResult): number => {
  const held = r.statusCounts['201'] ?? 0;
  const at = r.lastAnswerAt['201'];
  return at === undefined || at === 0 ? 0 : Math.round(held / at);
};

export const runFlashSale = async (ctx: SuiteContext): Promise<ScenarioReport> => {
  const o = ctx.options.flash;
  const key = ctx.system.apiKey;
  const stop = () => ctx.watchdog.trouble() !== null;
  const warmCount = ctx.options.smoke ? 100 : 2_000;
  const openCount = Math.round(o.openRate * o.openSeconds);
  const openUnits = Math.floor((openCount * 2) / 3);
  const afterSeq = await journalLastSeq(ctx.jsm, ctx.system.names);
  for (const [sku, qty] of [[Warm, warmCount * 2], [Max, o.units], [Open, openUnits]] as const) {
    await seedSkus(ctx.sender, [ctx.api.url], key, [sku], qty);
  }
  ctx.log(`  seeded ${Max} with ${o.units} units, ${Open} with ${openUnits}`);
  const reserveOn = (origin: string, sku: string, prefix: string, onHeld?: (id: string) => void): LoadTarget => ({
    origin,
    make: (i) => reserveRequest(key, sku, `${prefix}-${i}`),
    wantsBody: (status) => status === 201 && onHeld !== undefined,
    onAnswer: (_i, status, body) => {
      const id = status === 201 ? reservationIdOf(body) : null;
      if (id !== null) onHeld?.(id);
    },
    // 503 `overloaded`: the instance shed the hold (admission control); counted as `shed` below.
    expect: [201, 409, 503],
  });
  const runs: Array<LabeledRun> = [];
  await runMaxRate(reserveOn(ctx.api.url, Warm, 'flash-warm'), { connections: o.clients, count: warmCount, stop });
  const ids: Array<string> = [];
  const max = await ctx.measure('flash max-rate holds', 'larder', 'POST /v1/reservations', () =>
    runMaxRate(reserveOn(ctx.api.url, Max, 'flash-max', (id) => ids.push(id)), { connections: o.clients, count: o.requests, stop }),
  );
  runs.push(max);
  const commits = await ctx.measure('flash commits', 'larder', 'POST /v1/reservations/{id}/commit', () =>
    runMaxRate(
      // 202: the owner did not answer in time, the commit is stored on INV_CMD and applied from there.
      { origin: ctx.api.url, make: (i) => commitRequest(key, ids[i] ?? 'missing', `flash-commit-${i}`), expect: [200, 202] },
      { connections: o.clients, count: ids.length, stop },
    ),
  );
  runs.push(commits);
  const open = await ctx.measure(`flash open-loop ${o.openRate}/s`, 'larder', 'POST /v1/reservations', () =>
    runOpenLoop(reserveOn(ctx.api.url, Open, 'flash-open'), { rate: o.openRate, count: openCount, connections: ctx.options.openConnections, stop }),
  );
  runs.push(open);

  // Baselines (b) and (c): the same SKUs and units in their own stores, the same load.
  const rb = await ctx.baselines.reserve();
  await rb.stores.seed(new Map([[Warm, warmCount * 2], [Max, o.units], [Open, openUnits]]));
  const baseline = async (which: 'b' | 'c') => {
    const [origin, pid] = which === 'b' ? [rb.pgOrigin, rb.pgPid] : [rb.redisOrigin, rb.redisPid];
    const target = (sku: string): LoadTarget => ({ origin, make: () => baselineReserveRequest(sku), expect: [201, 409] });
    const name = which === 'b' ? 'baseline-b' : 'baseline-c';
    const route = which === 'b' ? 'POST /reserve (Postgres row lock + ledger)' : 'POST /reserve (Redis Lua)';
    await runMaxRate(target(Warm), { connections: o.clients, count: warmCount, stop });
    const bMax = await ctx.measure(`flash max-rate ${name}`, name, route, () => runMaxRate(target(Max), { connections: o.clients, count: o.requests, stop }), { server: pid });
    const bOpen = await ctx.measure(`flash open-loop ${o.openRate}/s ${name}`, name, route, () => runOpenLoop(target(Open), { rate: o.openRate, count: openCount, connections: ctx.options.openConnections, stop }), { server: pid });
    runs.push(bMax, bOpen);
    return { max: bMax, open: bOpen };
  };
  const baselineRuns = { b: await baseline('b'), c: await baseline('c') };

  const held = max.result.statusCounts['201'] ?? 0;
  const committed = (commits.result.statusCounts['200'] ?? 0) + (commits.result.statusCounts['202'] ?? 0);
  // Commits answered 202 are applied from INV_CMD: wait for them before reading the records back.
  await waitCommandsApplied(ctx);
  const larderMax = await checkOversell(ctx.oversell, new Map([[Max, o.units]]), afterSeq, held, committed);
  const larderOpen = await checkOversell(ctx.oversell, new Map([[Open, openUnits]]), afterSeq, open.result.statusCounts['201'] ?? 0, null);
  const held201 = (r: LabeledRun) => r.result.statusCounts['201'] ?? 0;
  const pgMax = await rb.stores.checkPg(new Map([[Max, o.units]]), held201(baselineRuns.b.max));
  const pgOpen = await rb.stores.checkPg(new Map([[Open, openUnits]]), held201(baselineRuns.b.open));
  const redisMax = await rb.stores.checkRedis(new Map([[Max, o.units]]), held201(baselineRuns.c.max));
  const redisOpen = await rb.stores.checkRedis(new Map([[Open, openUnits]]), held201(baselineRuns.c.open));

  const hps = holdsPerSecond(max.result);
  const hpsB = holdsPerSecond(baselineRuns.b.max.result);
  const hpsC = holdsPerSecond(baselineRuns.c.max.result);
  const overB = ratio(hps, hpsB);
  const overC = ratio(hps, hpsC);
  return {
    id: 'flash',
    title: `Flash sale: 1 SKU, ${o.units.toLocaleString('en-US')} units, ${o.clients} clients, ${o.requests.toLocaleString('en-US')} single-unit holds, then commits`,
    runs,
    figures: {
      held,
      refused: max.result.statusCounts['409'] ?? 0,
      shed: max.result.statusCounts['503'] ?? 0,
      holdsPerSecond: hps,
      reservationAnswersPerSecond: max.result.answersPerSecond,
      committed,
      commitsPerSecond: commits.result.answersPerSecond,
      baselineBHoldsPerSecond: hpsB,
      baselineCHoldsPerSecond: hpsC,
      ledgerCatchUpMs: larderMax.ledgerWaitMs,
    },
    ratios: [
      { name: 'flash holds/s ÷ baseline (b) Postgres', value: overB, target: atLeast(overB, 6, '×') },
      { name: 'flash holds/s ÷ baseline (c) Redis', value: overC, target: atLeast(overC, 0.6, '×') },
      { name: `flash open-loop p99 ÷ baseline (b) p99 at ${o.openRate}/s`, value: ratio(open.result.latency.p99Ms, baselineRuns.b.open.result.latency.p99Ms), target: null },
      { name: `flash open-loop p99 ÷ baseline (c) p99 at ${o.openRate}/s`, value: ratio(open.result.latency.p99Ms, baselineRuns.c.open.result.latency.p99Ms), target: null },
    ],
    oversell: [
      { label: `Larder ${Max} (max rate, then commits)`, report: larderMax },
      { label: `Larder ${Open} (open loop)`, report: larderOpen },
      { label: `baseline (b) ${Max}`, report: pgMax },
      { label: `baseline (b) ${Open}`, report: pgOpen },
      { label: `baseline (c) ${Max}`, report: redisMax },
      { label: `baseline (c) ${Open}`, report: redisOpen },
    ],
    notes: [
      `holds/s = 201 answers ÷ seconds from the first send to the last 201 (refusals after the stock ran out are cheaper and not counted); answers/s counts every answer.`,
      `held ${held.toLocaleString('en-US')} of ${o.units.toLocaleString('en-US')} units (expected exactly all of them), ${round2(commits.result.seconds)} s to commit them.`,
    ],
  };
};
