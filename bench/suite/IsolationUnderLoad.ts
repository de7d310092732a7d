// Scenario 4, isolation (the headline): reads and POST /v1/orders at a fixed rate each (open loop),
// p99 alone, then again while a flash sale and a restock storm run (StormChild, its own process);
// the ratio loaded ÷ alone says how much the sales path feels the storm. Measured twice: on the API
// instance the storm hits, and on a second instance it does not.
import { Schema } from 'effect';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuWindow, localNatsServerPid } from '../actors/ProcessCpu.js';
import { startChildService } from '../actors/ChildService.js';
import { checkOversell } from './CheckOversell.js';
import { runOpenLoop, type LoadResult } from './HttpLoad.js';
import { journalLastSeq } from './MovementSums.js';
import { bareRequest, orderRequest, stockRequest } from './Requests.js';
import { atMost, ratio, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import type { StormSpec } from './StormSpec.js';
import type { SuiteContext } from './SuiteContext.js';

const StormSummary = Schema.Struct({ answered: Schema.Number, seconds: Schema.Number, perSecond: Schema.Number, statusCounts: Schema.Record({ key: Schema.String, value: Schema.Number }), p99Ms: Schema.Number });
const StormDone = Schema.Struct({ msg: Schema.Literal('storm done'), flash: StormSummary, restocks: StormSummary });
const decodeDone = Schema.decodeUnknownOption(Schema.parseJson(StormDone));

const DrainTimeoutMs = 180_000;

/** Issue 13: the alone phase is healthy when its read p99 is within this many times the bare route's at the same rate. */
const HealthyAloneFactor = 5;

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

interface Variant {
  readonly id: 'shared' | 'own';
  /** How the measured instance relates to the storm's. */
  readonly label: string;
  /** Where the measured reads and orders go. */
  readonly origin: string;
  /** The storm's flash SKU (one per variant: the second storm must not find it sold out). */
  readonly flashSku: string;
}

interface VariantResult {
  readonly variant: Variant;
  readonly runs: ReadonlyArray<LabeledRun>;
  readonly readRatio: number | null;
  readonly orderRatio: number | null;
  readonly stormDone: typeof StormDone.Type;
  readonly flashHeld: number;
  readonly drainAloneMs: number;
  readonly drainStormMs: number;
}

export const runIsolation = async (ctx: SuiteContext): Promise<ScenarioReport> => {
  const o = ctx.options.isolation;
  const key = ctx.system.apiKey;
  const orderSkus = Array.from({ length: 100 }, (_, i) => `ISO-ORDER-${i}`);
  const random = () => orderSkus[Math.floor(Math.random() * orderSkus.length)] ?? 'ISO-ORDER-0';
  // A second API instance that takes none of the storm: the design's isolation is across processes
  // (storefront reads and orders on instances the flash sale's clients do not hit).
  const own = await ctx.system.startApi('api-isolated');
  const variants: ReadonlyArray<Variant> = [
    { id: 'shared', label: 'the same API instance as the storm', origin: ctx.api.url, flashSku: 'ISO-FLASH-SHARED' },
    { id: 'own', label: 'an API instance of its own (the storm hits the first one)', origin: own.url, flashSku: 'ISO-FLASH-OWN' },
  ];
  const afterSeq = await journalLastSeq(ctx.jsm, ctx.system.names);
  const apis = [ctx.api.url, own.url];
  await seedSkus(ctx.sender, apis, key, orderSkus, 1_000_000);
  await seedSkus(ctx.sender, apis, key, variants.map((v) => v.flashSku), ctx.options.flash.units);
  const count = Math.round(o.rate * o.seconds);
  const stop = () => ctx.watchdog.trouble() !== null;

  const phase = async (variant: Variant, name: string, extraPids: Record<string, number>): Promise<[LabeledRun, LabeledRun]> => {
    const end = cpuWindow({ ...ctx.system.pids(), ...extraPids, generator: process.pid, natsServer: localNatsServerPid() });
    const tag = `${variant.id}-${name}`.replace(/\W+/g, '-');
    const [reads, orders] = await Promise.all([
      runOpenLoop({ origin: variant.origin, make: () => stockRequest(key, random()), expect: [200] }, { rate: o.rate, count, connections: ctx.options.openConnections, stop }),
      runOpenLoop({ origin: variant.origin, make: (i) => orderRequest(key, `iso-${tag}-${i}`, random()), expect: [202, 503] }, { rate: o.rate, count, connections: ctx.options.openConnections, stop }),
    ]);
    const cpuPercent = end();
    ctx.alive();
    const labeled = (label: string, route: string, result: LoadResult): LabeledRun => ({ label, system: 'larder', route, result, cpuPercent });
    const out: [LabeledRun, LabeledRun] = [
      labeled(`isolation (${variant.id} instance) ${name}: reads ${o.rate}/s`, 'GET /v1/stock/{sku}', reads),
      labeled(`isolation (${variant.id} instance) ${name}: orders ${o.rate}/s`, 'POST /v1/orders', orders),
    ];
    for (const r of out) ctx.log(`  ${r.label}: p50 ${r.result.latency.p50Ms} p99 ${r.result.latency.p99Ms} p99.9 ${r.result.latency.p999Ms} ms, ${r.result.unexpected} unexpected`);
    return out;
  };

  const measure = async (variant: Variant): Promise<VariantResult> => {
    const [readsAlone, ordersAlone] = await phase(variant, 'alone', {});
    const drainAloneMs = await waitCommandsApplied(ctx);
    const spec: StormSpec = {
      // The storm always hits the first instance.
      apiUrl: ctx.api.url,
      apiKey: key,
      flashSku: variant.flashSku,
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
      loaded = await phase(variant, 'under storm', { storm: storm.pid });
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
    return {
      variant,
      runs: [readsAlone, ordersAlone, readsLoaded, ordersLoaded],
      readRatio: ratio(readsLoaded.result.latency.p99Ms, readsAlone.result.latency.p99Ms),
      orderRatio: ratio(ordersLoaded.result.latency.p99Ms, ordersAlone.result.latency.p99Ms),
      stormDone,
      flashHeld: stormDone.flash.statusCounts['201'] ?? 0,
      drainAloneMs,
      drainStormMs,
    };
  };

  // The health reference: baseline (a), a bare route in a process of its own, at the same offered rate.
  // The ratio below counts only if the measured instance was healthy alone (its read p99 within
  // `HealthyAloneFactor`× of this): a saturated "alone" phase makes any ratio meaningless.
  const bare = await ctx.baselines.bare();
  const bareRun = await ctx.measure(`isolation baseline (a) at ${o.rate}/s`, 'baseline-a', 'GET /baseline (bare Fastify, child process)', () =>
    runOpenLoop({ origin: bare.origin, make: () => bareRequest, expect: [200] }, { rate: o.rate, count, connections: ctx.options.openConnections, stop }),
    { server: bare.pid },
  );
  const results: Array<VariantResult> = [];
  try {
    for (const variant of variants) results.push(await measure(variant));
  } finally {
    await own.child.stop(20_000);
  }
  const flashChecks = await Promise.all(
    results.map(async (r) => ({
      label: `Larder ${r.variant.flashSku} (the storm's flash sale, ${r.variant.id} instance)`,
      report: await checkOversell(ctx.oversell, new Map([[r.variant.flashSku, ctx.options.flash.units]]), afterSeq, r.flashHeld, null),
    })),
  );
  const p99 = (r: VariantResult | undefined, i: number) => r?.runs[i]?.result.latency.p99Ms ?? null;
  const [shared, isolated] = results;
  const bareP99 = bareRun.result.latency.p99Ms;
  const aloneHealth = (r: VariantResult) => ratio(p99(r, 0), bareP99);
  const healthy = (r: VariantResult) => {
    const h = aloneHealth(r);
    return h !== null && h <= HealthyAloneFactor;
  };
  return {
    id: 'isolation',
    title: `Isolation: reads and orders at ${o.rate}/s each, alone and during a flash sale (${o.flashClients} clients, ${ctx.options.flash.units.toLocaleString('en-US')} units) + restock storm (${o.restockConnections} connections), measured on the storm's API instance and on one of its own`,
    runs: [bareRun, ...results.flatMap((r) => r.runs)],
    figures: {
      readP99AloneMs: p99(shared, 0),
      readP99LoadedMs: p99(shared, 2),
      orderP99AloneMs: p99(shared, 1),
      orderP99LoadedMs: p99(shared, 3),
      bareRouteP99Ms: bareP99,
      ownInstanceReadP99AloneMs: p99(isolated, 0),
      ownInstanceReadP99LoadedMs: p99(isolated, 2),
      ownInstanceOrderP99AloneMs: p99(isolated, 1),
      ownInstanceOrderP99LoadedMs: p99(isolated, 3),
      stormFlashHoldsAnswersPerSecond: shared?.stormDone.flash.perSecond ?? null,
      stormFlashHeld: shared?.flashHeld ?? null,
      stormRestocksPerSecond: shared?.stormDone.restocks.perSecond ?? null,
      inventoryCommandsDrainedAfterStormMs: shared?.drainStormMs ?? null,
      inventoryCommandsDrainedAfterAloneMs: shared?.drainAloneMs ?? null,
    },
    ratios: results.flatMap((r) => [
      { name: `read p99 alone ÷ baseline (a) p99 at ${o.rate}/s, on ${r.variant.label} (healthy alone?)`, value: aloneHealth(r), target: atMost(aloneHealth(r), HealthyAloneFactor, '×') },
      {
        name: `read p99 under storm ÷ alone, on ${r.variant.label}${healthy(r) ? '' : ' — does not count: the alone phase was saturated'}`,
        value: r.readRatio,
        target: healthy(r) ? atMost(r.readRatio, 2, '×') : { text: `≤ 2× with a healthy alone phase`, pass: false },
      },
      { name: `POST /v1/orders p99 under storm ÷ alone, on ${r.variant.label}`, value: r.orderRatio, target: null },
    ]),
    oversell: flashChecks,
    notes: [
      'Two variants: the measured reads and orders go to the API instance the storm hits (`shared`: one event loop serves both), then to a second instance the storm does not hit (`own`: the deployment where storefront traffic and the flash sale\'s clients are on different instances). Everything else — runner, NATS, Postgres, Redis, the two cores — is shared in both.',
      ...results.map(
        (r) =>
          `${r.variant.id}: the storm runs in a child process (its own event loop; its CPU is the \`storm\` figure); the measured open loops run in the bench process. Storm: flash ${r.stormDone.flash.perSecond}/s answers (${JSON.stringify(r.stormDone.flash.statusCounts)}), restocks ${r.stormDone.restocks.perSecond}/s (${JSON.stringify(r.stormDone.restocks.statusCounts)}); the runner applied the storm's backlog ${r.drainStormMs} ms after it stopped.`,
      ),
    ],
  };
};
