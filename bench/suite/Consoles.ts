// Live consoles during a flash sale (the stock stream, GET /v1/stock/events, Server-Sent Events): the
// flash scenario's clients hold at max rate on one hot SKU while stock reads go at a fixed rate (open
// loop, from a few seconds in, for `seconds`) beside them; three phases in one run, each on a fresh hot
// SKU with the same stock: without consoles, with `clients` stream clients connected for the whole phase
// (a child process; half follow the hot SKU, half every SKU), and without again. "Without" is the mean
// of the phases before and after (a drift through the run cancels out), and how far those two differ is
// the noise the ratios are read against. Reported: holds/s and reads' p50/p99 with ÷ without,
// `event: stock` frames delivered per second (in all and per client), clients the API cut off
// (`larder_stock_stream_dropped_total`), its event-loop delay per phase, a per-second timeline, oversell.
import { Schema } from 'effect';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChildService, type ChildExit, type ChildService } from '../actors/ChildService.js';
import { loopLagMs, metricValue, scrapeMetrics } from './ApiMetrics.js';
import { checkOversell } from './CheckOversell.js';
import { ConsolesDone, markLine, type ConsolesSpec } from './ConsolesSpec.js';
import { holdsPerSecond } from './FlashSale.js';
import { runMaxRate, runOpenLoop, type LoadTarget } from './HttpLoad.js';
import { journalLastSeq } from './MovementSums.js';
import { reserveRequest, stockRequest } from './Requests.js';
import { atMost, ratio, round2, type LabeledRun, type ScenarioReport } from './ScenarioReport.js';
import { seedSkus } from './Seeding.js';
import { startTimeline, type PhaseTimeline, type TimelineSecond } from './PhaseTimeline.js';
import { measureLoads, type SuiteContext } from './SuiteContext.js';

const Warm = 'CONSOLE-WARM';
/** Units per hot SKU per second of a phase: more than one API instance holds on this machine, so no phase sells out. */
const UnitsPerSecond = 5_000;
/**
 * Reads start this long after the holds: the flash sale's first seconds (200 new connections, the hot
 * SKU's first holds) delay reads by up to a second whatever else runs, and that ramp is not what is compared.
 */
const SettleSeconds = 3;
const ReadyTimeoutMs = 60_000;
const MarkWaitMs = 10_000;
/** The reads' p99 with consoles counts as unchanged within this share, or within the two phases without consoles' own difference if larger. */
const NoiseFloor = 0.1;

const decodeDone = Schema.decodeUnknownOption(Schema.parseJson(ConsolesDone));

type PhaseName = 'without' | 'with' | 'without-again';

interface Phase {
  readonly name: PhaseName;
  readonly title: string;
  readonly hot: string;
  readonly consoles: boolean;
}

/** The API's stream counters and event-loop delay over one phase, from its /metrics before and after. */
interface ApiWindow {
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  /** `larder_stock_stream_events_total` after − before: frames written to stream clients. */
  readonly streamEvents: number;
  /** `larder_stock_stream_dropped_total` after − before: clients cut off for reading too slowly. */
  readonly dropped: number;
  /** `larder_stock_stream_clients` at the end of the phase. */
  readonly clientsAtEnd: number;
}

interface PhaseResult {
  readonly phase: Phase;
  readonly holds: LabeledRun;
  readonly reads: LabeledRun;
  readonly seconds: number;
  readonly api: ApiWindow;
  readonly consoles: ConsolesDone | null;
  readonly consolesExit: ChildExit | null;
  readonly timeline: ReadonlyArray<TimelineSecond>;
}

/** The stream clients as a child: started, marked (SIGUSR2, acknowledged in its log), stopped with its report. */
const startConsoles = async (spec: ConsolesSpec) => {
  let output = '';
  const child: ChildService = await startChildService({
    name: 'consoles',
    entry: 'bench/suite/ConsolesChild.ts',
    env: { CONSOLES: JSON.stringify(spec) },
    ready: '"consoles ready"',
    readyTimeoutMs: ReadyTimeoutMs + 30_000,
    onOutput: (text) => void (output += text),
  });
  let marks = 0;
  return {
    pid: child.pid,
    mark: async () => {
      marks++;
      process.kill(child.pid, 'SIGUSR2');
      for (const t0 = performance.now(); !output.includes(markLine(marks)); await sleep(5)) {
        if (performance.now() - t0 > MarkWaitMs) throw new Error(`the consoles child did not log mark ${marks} within ${MarkWaitMs} ms:\n${child.logTail()}`);
      }
    },
    stop: async (): Promise<{ exit: ChildExit; done: ConsolesDone | null }> => {
      const exit = await child.stop(20_000);
      const done = output.split('\n').map((line) => decodeDone(line)).find((d) => d._tag === 'Some');
      return { exit, done: done?._tag === 'Some' ? done.value : null };
    },
  };
};

const worstSecond = (timeline: ReadonlyArray<TimelineSecond>) => timeline.reduce<TimelineSecond | undefined>((w, s) => (w === undefined || s.worstReadMs > w.worstReadMs ? s : w), undefined);
const describeSecond = (s: TimelineSecond) => `${s.reads} reads answered; CPU % of a core: ${Object.entries(s.cpu).flatMap(([name, v]) => (v === null ? [] : [`${name} ${v}`])).join(' · ')}`;

const windowOf = (before: string, after: string): ApiWindow => {
  const delta = (name: string) => metricValue(after, name) - metricValue(before, name);
  return {
    loopP99Ms: loopLagMs(after, 'p99'),
    loopMaxMs: loopLagMs(after, 'max'),
    streamEvents: delta('larder_stock_stream_events_total'),
    dropped: delta('larder_stock_stream_dropped_total'),
    clientsAtEnd: metricValue(after, 'larder_stock_stream_clients'),
  };
};

/** Each client's frames between the child's two marks (the phase's window), and the window's seconds. */
const framesInWindow = (done: ConsolesDone) => {
  const [start, end] = done.marks;
  if (start === undefined || end === undefined) throw new Error(`the consoles child reported ${done.marks.length} marks, not 2`);
  const perClient = end.frames.map((n, i) => n - (start.frames[i] ?? 0));
  return { perClient, seconds: (end.atMs - start.atMs) / 1000 };
};

export const runConsoles = async (ctx: SuiteContext): Promise<ScenarioReport> => {
  const o = ctx.options.consoles;
  const f = ctx.options.flash;
  const key = ctx.system.apiKey;
  const api = ctx.api.url;
  const stop = () => ctx.watchdog.trouble() !== null;
  const warmCount = ctx.options.smoke ? 100 : 2_000;
  const settleSeconds = ctx.options.smoke ? 0.5 : SettleSeconds;
  const units = Math.max(f.units, Math.ceil((settleSeconds + o.seconds) * UnitsPerSecond));
  const readCount = Math.round(o.readRate * o.seconds);
  const readSkus = Array.from({ length: o.readSkus }, (_, i) => `CONSOLE-READ-${String(i).padStart(3, '0')}`);
  const phases: ReadonlyArray<Phase> = [
    { name: 'without', title: 'without consoles', hot: 'CONSOLE-HOT-1', consoles: false },
    { name: 'with', title: `with ${o.clients} consoles`, hot: 'CONSOLE-HOT-2', consoles: true },
    { name: 'without-again', title: 'without consoles again', hot: 'CONSOLE-HOT-3', consoles: false },
  ];

  const afterSeq = await journalLastSeq(ctx.jsm, ctx.system.names);
  await seedSkus(ctx.sender, [api], key, readSkus, 1_000);
  await seedSkus(ctx.sender, [api], key, [Warm], warmCount * 2);
  await seedSkus(ctx.sender, [api], key, phases.map((p) => p.hot), units);
  ctx.log(`  seeded ${phases.map((p) => p.hot).join(', ')} with ${units.toLocaleString('en-US')} units each, ${o.readSkus} read SKUs`);

  const holdsOn = (sku: string, prefix: string): LoadTarget => ({ origin: api, make: (i) => reserveRequest(key, sku, `${prefix}-${i}`), expect: [201, 409, 503] });
  // Every other read is of the hot SKU (the product on sale), the others of the read SKUs in turn;
  // each answer's time from its send goes to the timeline, if any.
  const readsOf = (hot: string, timeline?: PhaseTimeline): LoadTarget => {
    const sentAt = new Float64Array(timeline === undefined ? 0 : readCount);
    return {
      origin: api,
      make: (i) => {
        if (timeline !== undefined) sentAt[i] = performance.now();
        return stockRequest(key, i % 2 === 0 ? hot : (readSkus[(i >> 1) % readSkus.length] ?? hot));
      },
      onAnswer: (i) => timeline?.record(performance.now() - (sentAt[i] ?? 0)),
      expect: [200],
    };
  };
  await Promise.all([
    runMaxRate(holdsOn(Warm, 'console-warm'), { connections: f.clients, count: warmCount, stop }),
    runMaxRate(readsOf(Warm), { connections: 16, seconds: ctx.options.reads.warmupSeconds, stop }),
  ]);

  const runPhase = async (phase: Phase): Promise<PhaseResult> => {
    const consoles = phase.consoles ? await startConsoles({ apiUrl: api, apiKey: key, clients: o.clients, hotSkus: [phase.hot], readyTimeoutMs: ReadyTimeoutMs }) : null;
    let stopped: Awaited<ReturnType<NonNullable<typeof consoles>['stop']>> | null = null;
    try {
      const before = await scrapeMetrics(api);
      await consoles?.mark();
      const timeline = startTimeline({ ...ctx.system.pids(), generator: process.pid, consoles: consoles?.pid ?? null });
      const t0 = performance.now();
      const holdsRun = () => runMaxRate(holdsOn(phase.hot, `console-${phase.name}`), { connections: f.clients, seconds: settleSeconds + o.seconds, stop });
      const readsRun = async () => {
        await sleep(settleSeconds * 1000);
        return runOpenLoop(readsOf(phase.hot, timeline), { rate: o.readRate, count: readCount, connections: ctx.options.openConnections, stop });
      };
      const [holds, reads] = await measureLoads(
        ctx.system,
        ctx.watchdog,
        ctx.log,
        [
          { label: `consoles: ${phase.title}: max-rate holds`, system: 'larder', route: 'POST /v1/reservations', run: holdsRun },
          { label: `consoles: ${phase.title}: reads ${o.readRate}/s from ${settleSeconds} s in`, system: 'larder', route: 'GET /v1/stock/{sku}', run: readsRun },
        ],
        consoles === null ? {} : { consoles: consoles.pid },
      );
      const seconds = (performance.now() - t0) / 1000;
      const perSecond = timeline.stop();
      await consoles?.mark();
      const after = await scrapeMetrics(api);
      stopped = (await consoles?.stop()) ?? null;
      if (holds === undefined || reads === undefined) throw new Error(`${phase.title}: a load gave no result`);
      if (consoles !== null && stopped?.done === null) throw new Error(`${phase.title}: the consoles child (exit ${JSON.stringify(stopped.exit)}) reported nothing`);
      const window = windowOf(before, after);
      ctx.log(`  ${phase.title}: API event-loop delay p99 ${window.loopP99Ms} ms, max ${window.loopMaxMs} ms; ${window.streamEvents.toLocaleString('en-US')} stream frames written, ${window.dropped} clients cut off`);
      const worst = worstSecond(perSecond);
      if (worst !== undefined) ctx.log(`  ${phase.title}: slowest read ${worst.worstReadMs} ms in second ${worst.second} (${describeSecond(worst)})`);
      return { phase, holds, reads, seconds, api: window, consoles: stopped?.done ?? null, consolesExit: stopped?.exit ?? null, timeline: perSecond };
    } finally {
      if (stopped === null) await consoles?.stop();
    }
  };
  const results: Array<PhaseResult> = [];
  for (const phase of phases) results.push(await runPhase(phase));

  const of = (name: PhaseName) => {
    const r = results.find((x) => x.phase.name === name);
    if (r === undefined) throw new Error(`no ${name} phase`);
    return r;
  };
  const [without, withConsoles, again] = [of('without'), of('with'), of('without-again')];
  const oversell = await Promise.all(
    results.map(async (r) => ({
      label: `Larder ${r.phase.hot} (${r.phase.title}, max rate)`,
      report: await checkOversell(ctx.oversell, new Map([[r.phase.hot, units]]), afterSeq, r.holds.result.statusCounts['201'] ?? 0, null),
    })),
  );

  const hps = (r: PhaseResult) => holdsPerSecond(r.holds.result);
  const p50 = (r: PhaseResult) => r.reads.result.latency.p50Ms;
  const p99 = (r: PhaseResult) => r.reads.result.latency.p99Ms;
  const done = withConsoles.consoles;
  const frames = done === null ? null : framesInWindow(done);
  const delivered = frames === null ? 0 : frames.perClient.reduce((a, b) => a + b, 0);
  const deliveredPerSecond = frames === null || frames.seconds === 0 ? null : Math.round(delivered / frames.seconds);
  const perClientPerSecond = (n: number) => (frames === null || frames.seconds === 0 ? null : round2(n / frames.seconds));
  const group = (follows: 'hot' | 'all') => {
    const counts = frames?.perClient.filter((_, i) => done?.clients[i]?.follows === follows) ?? [];
    return counts.length === 0 ? null : perClientPerSecond(counts.reduce((a, b) => a + b, 0) / counts.length);
  };
  const cutOffByChild = done?.clients.filter((c) => c.cutOff).length ?? null;
  /** The mean of the phases before and after the one with consoles. */
  const around = (figure: (r: PhaseResult) => number) => (figure(without) + figure(again)) / 2;
  const withOverWithout = (figure: (r: PhaseResult) => number) => ratio(figure(withConsoles), around(figure));
  const afterOverBefore = (figure: (r: PhaseResult) => number) => ratio(figure(again), figure(without));
  const loopP99 = (r: PhaseResult) => r.api.loopP99Ms;
  const p99Ratio = withOverWithout(p99);
  const p99Noise = afterOverBefore(p99);
  const bound = round2(1 + Math.max(NoiseFloor, p99Noise === null ? 0 : Math.abs(p99Noise - 1)));
  const shed = (r: PhaseResult) => r.holds.result.statusCounts['503'] ?? 0;

  return {
    id: 'consoles',
    title: `${o.clients} live consoles (GET /v1/stock/events) during a flash sale: ${f.clients} clients holding at max rate on one SKU and stock reads at ${o.readRate}/s for ${o.seconds} s, without, with ${o.clients} stream clients (half on the hot SKU, half on every SKU), and without again`,
    runs: results.flatMap((r) => [r.holds, r.reads]),
    figures: {
      unitsPerHotSku: units,
      holdsPerSecondWithout: hps(without),
      holdsPerSecondWith: hps(withConsoles),
      holdsPerSecondWithoutAgain: hps(again),
      readP50MsWithout: p50(without),
      readP50MsWith: p50(withConsoles),
      readP50MsWithoutAgain: p50(again),
      readP99MsWithout: p99(without),
      readP99MsWith: p99(withConsoles),
      readP99MsWithoutAgain: p99(again),
      shedWithout: shed(without),
      shedWith: shed(withConsoles),
      shedWithoutAgain: shed(again),
      streamClients: o.clients,
      streamFramesDelivered: delivered,
      streamFramesDeliveredPerSecond: deliveredPerSecond,
      streamFramesPerSecondPerClient: perClientPerSecond(delivered / o.clients),
      streamFramesPerSecondPerHotClient: group('hot'),
      streamFramesPerSecondPerAllSkusClient: group('all'),
      streamFramesWrittenByApi: withConsoles.api.streamEvents,
      streamFramesWrittenByApiPerSecond: Math.round(withConsoles.api.streamEvents / withConsoles.seconds),
      streamClientsCutOff: withConsoles.api.dropped,
      streamClientsCutOffSeenByClients: cutOffByChild,
      streamClientsConnectedAtEnd: withConsoles.api.clientsAtEnd,
      consolesConnectMs: done?.connectMs ?? null,
      apiEventLoopP99MsWithout: without.api.loopP99Ms,
      apiEventLoopP99MsWith: withConsoles.api.loopP99Ms,
      apiEventLoopP99MsWithoutAgain: again.api.loopP99Ms,
      apiEventLoopMaxMsWithout: without.api.loopMaxMs,
      apiEventLoopMaxMsWith: withConsoles.api.loopMaxMs,
      apiEventLoopMaxMsWithoutAgain: again.api.loopMaxMs,
      ledgerCatchUpMs: Math.max(...oversell.map((x) => x.report.ledgerWaitMs)),
    },
    ratios: [
      { name: 'holds/s with consoles ÷ without (the mean of the phases before and after)', value: withOverWithout(hps), target: null },
      { name: 'reads p50 with consoles ÷ without', value: withOverWithout(p50), target: null },
      {
        name: `reads p99 with consoles ÷ without (unchanged within noise: the larger of ${NoiseFloor * 100}% and how far the phases before and after differ)`,
        value: p99Ratio,
        target: atMost(p99Ratio, bound, '×'),
      },
      { name: 'API event-loop delay p99 with consoles ÷ without', value: withOverWithout(loopP99), target: null },
      { name: 'noise: holds/s after ÷ before (the two phases without consoles)', value: afterOverBefore(hps), target: null },
      { name: 'noise: reads p50 after ÷ before', value: afterOverBefore(p50), target: null },
      { name: 'noise: reads p99 after ÷ before', value: p99Noise, target: null },
      { name: 'noise: API event-loop delay p99 after ÷ before', value: afterOverBefore(loopP99), target: null },
      { name: 'stream clients cut off (larder_stock_stream_dropped_total, over the phase with consoles)', value: withConsoles.api.dropped, unit: ' clients', target: null },
    ],
    oversell,
    notes: [
      `Each phase: ${f.clients} clients hold one unit at a time on a hot SKU of its own (${units.toLocaleString('en-US')} units, more than the phase can sell: holds all phase long, no sell-out) for ${settleSeconds + o.seconds} s, and from ${settleSeconds} s in (after the sale's ramp: new connections, the SKU's first holds) an open loop of GET /v1/stock/{sku} at ${o.readRate}/s for ${o.seconds} s (latency from the intended send time), every other read of the hot SKU and the rest of ${o.readSkus} other SKUs in turn; both loads from the bench process. holds/s = 201s ÷ seconds to the last 201, as in flash.`,
      `Consoles: a child process (its CPU is the \`consoles\` figure) opens ${o.clients} GET /v1/stock/events streams with the API key, one connection each, client i following \`?sku=${withConsoles.phase.hot}\` when i is even and every SKU when odd, and counts \`event: stock\` frames without keeping them; all had \`event: ready\` ${done?.connectMs ?? '?'} ms after the first connection, before the phase began, and stayed connected until it ended. Frames delivered are counted between two marks taken at the start and the end of the measured loads (${frames === null ? '?' : round2(frames.seconds)} s); the API's own count of frames written (larder_stock_stream_events_total) over the phase is ${withConsoles.api.streamEvents.toLocaleString('en-US')}. Only the hot SKU changes during a phase, so both halves see the same changes.`,
      `Cut off: larder_stock_stream_dropped_total rose by ${withConsoles.api.dropped} over the phase; ${cutOffByChild ?? '?'} clients saw their stream end before they closed it; larder_stock_stream_clients was ${withConsoles.api.clientsAtEnd} at the end of the phase.`,
      `The API's event-loop delay (its /metrics, prom-client's monitorEventLoopDelay, reset by a scrape just before each phase): p99 ${without.api.loopP99Ms} / ${withConsoles.api.loopP99Ms} / ${again.api.loopP99Ms} ms, max ${without.api.loopMaxMs} / ${withConsoles.api.loopMaxMs} / ${again.api.loopMaxMs} ms (without / with / without again).`,
      `Slowest second for reads (time from send to answer; the timeline of every second, with the CPU of each process and the machine, is in the JSON's detail): ${results
        .map((r) => {
          const w = worstSecond(r.timeline);
          return `${r.phase.title}: ${w === undefined ? '–' : `${w.worstReadMs} ms in second ${w.second} (${describeSecond(w)})`}`;
        })
        .join('; ')}.`,
      `Holds shed (503 overloaded, admission control): ${shed(without)} / ${shed(withConsoles)} / ${shed(again)} (without / with / without again).`,
      `The phases run in this order on fresh hot SKUs, after a warm-up (${warmCount} holds on ${Warm}, ${ctx.options.reads.warmupSeconds} s of reads). "Without" in the ratios is the mean of the phases before and after the one with consoles, so a drift through the run (the first phase is often the slowest) cancels out; how far those two differ (after ÷ before) is the run's noise, and the reads' p99 target is that difference or ${NoiseFloor * 100}%, whichever is larger.`,
    ],
    detail: results.map((r) => ({ phase: r.phase.name, seconds: round2(r.seconds), api: r.api, consolesExit: r.consolesExit, consoles: r.consoles, timeline: r.timeline })),
  };
};
