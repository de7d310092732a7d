// Scenario 4, isolation (the headline): reads and POST /v1/orders at a fixed rate each (open loop),
// p99 alone, then again while a flash sale and a restock storm run (StormChild, its own process);
// the ratio loaded ÷ alone says how much the sales path feels the storm.
import { Schema } from 'effect';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuWindow, localNatsServerPid } from '../actors/ProcessCpu.js';
import { startChildService } from '../actors/ChildService.js';
import { checkOversell } from './CheckOversell.js';
import { runOpenLoop, type LoadResult } from './HttpLoad.js';
import { journalLastSeq } from './MovementSums.js';
import { orderRequest, stockRequest } from './Requests.js';
import { atMost, ratio, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import type { StormSpec } from './StormSpec.js';
import type { SuiteContext } from './SuiteContext.js';

const StormSummary = Schema.Struct({ answered: Schema.Number, seconds: Schema.Number, perSecond: Schema.Number, statusCounts: Schema.Record({ key: Schema.String, value: Schema.Number }), p99Ms: Schema.Number });
const StormDone = Schema.Struct({ msg: Schema.Literal('storm done'), flash: StormSummary, restocks: StormSummary });
const decodeDone = Schema.decodeUnknownOption(Schema.parseJson(StormDone));

const DrainTimeoutMs = 180_000;

/** Waits until INV_CMD is empty: every stored command (the storm's restocks, the orders) applied. */
export const waitCommandsApplied = async (ctx: SuiteContext): Promise<number> => {
  const t0 = performance.now();
  for (;;) {
    const left = (await ctx.jsm.streams.info(ctx.system.names.commands.stream)).state.messages;
    if (left === 0) return Math.round(performance.now() - t0);
    if (performance.now() - t0 > DrainTimeoutMs) throw new Error(`${left} commands still in ${ctx.system.names.commands.stream} after ${DrainTimeoutMs} ms`);
    await sleep(100);
  }
};

export const runIsolation = async (ctx: SuiteContext): Promise<ScenarioReport> => {
  const o = ctx.options.isolation;
  const key = ctx.system.apiKey;
  const orderSkus = Array.from({ length: 100 }, (_, i) => `ISO-ORDER-${i}`);
  const flashSku = 'ISO-FLASH';
  const random = () => orderSkus[Math.floor(Math.random() * orderSkus.length)] ?? 'ISO-ORDER-0';
  const afterSeq = await journalLastSeq(ctx.jsm, ctx.system.names);
  await seedSkus(ctx.sender, [ctx.api.url], key, orderSkus, 1_000_000);
  await seedSkus(ctx.sender, [ctx.api.url], key, [flashSku], ctx.options.flash.units);
  const count = Math.round(o.rate * o.seconds);
  const stop = () => ctx.watchdog.trouble() !== null;

  const phase = async (name: string, extraPids: Record<string, number>): Promise<[LabeledRun, LabeledRun]> => {
    const end = cpuWindow({ ...ctx.system.pids(), ...extraPids, generator: process.pid, natsServer: localNatsServerPid() });
    const [reads, orders] = await Promise.all([
      runOpenLoop({ origin: ctx.api.url, make: () => stockRequest(key, random()), expect: [200] }, { rate: o.rate, count, connections: ctx.options.openConnections, stop }),
      runOpenLoop({ origin: ctx.api.url, make: (i) => orderRequest(key, `iso-${name.replace(/\W+/g, '-')}-${i}`, random()), expect: [202] }, { rate: o.rate, count, connections: ctx.options.openConnections, stop }),
    ]);
    const cpuPercent = end();
    ctx.alive();
    const labeled = (label: string, route: string, result: LoadResult): LabeledRun => ({ label, system: 'larder', route, result, cpuPercent });
    const out: [LabeledRun, LabeledRun] = [labeled(`isolation ${name}: reads ${o.rate}/s`, 'GET /v1/stock/{sku}', reads), labeled(`isolation ${name}: orders ${o.rate}/s`, 'POST /v1/orders', orders)];
    for (const r of out) ctx.log(`  ${r.label}: p50 ${r.result.latency.p50Ms} p99 ${r.result.latency.p99Ms} p99.9 ${r.result.latency.p999Ms} ms, ${r.result.unexpected} unexpected`);
    return out;
  };

  const [readsAlone, ordersAlone] = await phase('alone', {});
  const drainAloneMs = await waitCommandsApplied(ctx);

  const spec: StormSpec = {
    apiUrl: ctx.api.url,
    apiKey: key,
    flashSku,
    flashClients: o.flashClients,
    // Holds keep coming for the whole window (refused once the units are gone, as in a real sale).
    flashRequests: Number.MAX_SAFE_INTEGER,
    restockSkus: Array.from({ length: 100 }, (_, i) => `ISO-RESTOCK-${i}`),
    restockConnections: o.restockConnections,
    // A safety net only: the storm is stopped with SIGTERM as soon as the measured window ends.
    seconds: 300,
  };
  const storm = await startChildService({ name: 'storm', entry: 'bench/suite/StormChild.ts', env: { STORM: JSON.stringify(spec) }, ready: '"storm ready"', readyTimeoutMs: 60_000 });
  let stormDone: typeof StormDone.Type | null = null;
  let loaded: [LabeledRun, LabeledRun];
  try {
    // Let the storm reach its pace before measuring.
    await sleep(1_000);
    loaded = await phase('under storm', { storm: storm.pid });
  } finally {
    const exit = await storm.stop(60_000);
    if (exit.code !== 0) ctx.log(`  ⚠ the storm child exited with ${JSON.stringify(exit)}`);
    for (const line of storm.logTail().split('\n')) {
      const done = decodeDone(line);
      if (done._tag === 'Some') stormDone = done.value;
    }
  }
  const [readsLoaded, ordersLoaded] = loaded;
  const drainStormMs = await waitCommandsApplied(ctx);
  if (stormDone === null) throw new Error(`the storm child reported no result:\n${storm.logTail().slice(-2_000)}`);
  const flashHeld = stormDone.flash.statusCounts['201'] ?? 0;
  const flashCheck = await checkOversell(ctx.oversell, new Map([[flashSku, ctx.options.flash.units]]), afterSeq, flashHeld, null);
  const readRatio = ratio(readsLoaded.result.latency.p99Ms, readsAlone.result.latency.p99Ms);
  const orderRatio = ratio(ordersLoaded.result.latency.p99Ms, ordersAlone.result.latency.p99Ms);
  return {
    id: 'isolation',
    title: `Isolation: reads and orders at ${o.rate}/s each, alone and during a flash sale (${o.flashClients} clients, ${ctx.options.flash.units.toLocaleString('en-US')} units) + restock storm (${o.restockConnections} connections)`,
    runs: [readsAlone, ordersAlone, readsLoaded, ordersLoaded],
    figures: {
      readP99AloneMs: readsAlone.result.latency.p99Ms,
      readP99LoadedMs: readsLoaded.result.latency.p99Ms,
      orderP99AloneMs: ordersAlone.result.latency.p99Ms,
      orderP99LoadedMs: ordersLoaded.result.latency.p99Ms,
      stormFlashHoldsAnswersPerSecond: stormDone.flash.perSecond,
      stormFlashHeld: flashHeld,
      stormRestocksPerSecond: stormDone.restocks.perSecond,
      inventoryCommandsDrainedAfterStormMs: drainStormMs,
      inventoryCommandsDrainedAfterAloneMs: drainAloneMs,
    },
    ratios: [
      { name: 'read p99 under storm ÷ alone', value: readRatio, target: atMost(readRatio, 1.25, '×') },
      { name: 'POST /v1/orders p99 under storm ÷ alone', value: orderRatio, target: null },
    ],
    oversell: [{ label: `Larder ${flashSku} (the storm's flash sale)`, report: flashCheck }],
    notes: [
      `The storm runs in a child process (its own event loop; its CPU is the \`storm\` figure); the measured open loops run in the bench process. Storm: flash ${stormDone.flash.perSecond}/s answers (${JSON.stringify(stormDone.flash.statusCounts)}), restocks ${stormDone.restocks.perSecond}/s (${JSON.stringify(stormDone.restocks.statusCounts)}).`,
      `Orders and restocks answer 202 once JetStream stores them; the runner applied the storm's backlog ${drainStormMs} ms after the storm stopped.`,
    ],
  };
};
