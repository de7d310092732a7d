// Scenario "memory": what a runner and an API instance hold in memory, on a system of their own.
// 1. Idle: RSS of a freshly started runner (32 shards, nothing loaded) and API instance.
// 2. Per 10,000 active SKUs: RSS after seeding that many SKUs (each actor loaded, its views cached).
// 3. Per 10,000 open holds: RSS after one hold on each of them.
// 4. Soak: holds and their releases at a steady rate (open loops: 250 cycles/s by default, 500
//    requests/s, about half of what this 2-core machine sustains with every process on it) on those
//    SKUs for `soakSeconds`; RSS sampled every 10 s. After a warm-up of a
//    fifth of the soak, RSS must stay flat: the last minute's mean within 5 % of the warm-up's end.
// RSS is what the operator's dashboard shows (VmRSS from /proc), GC and all, so each reading is the
// median of five samples 200 ms apart.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Services } from '../actors/Services.js';
import { runMaxRate, runOpenLoop, type LoadTarget } from './HttpLoad.js';
import { releaseRequest, reservationIdOf, reserveRequest } from './Requests.js';
import { atMost, round2, type ScenarioReport } from './ScenarioReport.js';
import { makeCommandSender, seedSkus } from './Seeding.js';
import type { Watchdog } from './SuiteContext.js';
import type { SuiteOptions } from './SuiteOptions.js';
import { makeSuiteSystem } from './SuiteSystem.js';

const SampleEveryMs = 10_000;
const FlatWithin = 0.05;

const rssMiB = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
};

/** Median of five readings 200 ms apart (one reading can land mid-GC). */
const settledRss = async (pid: number): Promise<number> => {
  const readings: Array<number> = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssMiB(pid));
    await sleep(200);
  }
  readings.sort((a, b) => a - b);
  return round2(readings[2] ?? NaN);
};

export const runMemory = async (services: Services, options: SuiteOptions, watchdog: Watchdog, log: (line: string) => void): Promise<ScenarioReport> => {
  const o = options.memory;
  const system = makeSuiteSystem(services, watchdog.watch);
  const sender = makeCommandSender(services.nc, system.names);
  try {
    const runner = await system.startRunner('runner-memory');
    const api = await system.startApi('api-memory');
    const pids = { runner: runner.pid, api: api.child.pid };
    const both = async () => ({ runner: await settledRss(pids.runner), api: await settledRss(pids.api) });
    await sleep(5_000);
    const idle = await both();
    log(`  idle: runner ${idle.runner} MiB, API ${idle.api} MiB`);

    const skus = Array.from({ length: o.skus }, (_, i) => `MEM-${i}`);
    await seedSkus(sender, [api.url], system.apiKey, skus, 1_000_000);
    await sleep(2_000);
    const loaded = await both();
    log(`  ${o.skus} SKUs active: runner ${loaded.runner} MiB, API ${loaded.api} MiB`);

    const stop = () => watchdog.trouble() !== null;
    const ids: Array<string> = [];
    const holdOn = (prefix: string, pick: (i: number) => string): LoadTarget => ({
      origin: api.url,
      make: (i) => reserveRequest(system.apiKey, pick(i), `${prefix}-${i}`),
      wantsBody: (status) => status === 201,
      onAnswer: (_i, status, body) => {
        const id = status === 201 ? reservationIdOf(body) : null;
        if (id !== null) ids.push(id);
      },
      expect: [201, 503],
    });
    const holds = await runMaxRate(holdOn('mem-hold', (i) => skus[i % skus.length] ?? 'MEM-0'), { connections: 64, count: o.skus, stop });
    const openHolds = holds.statusCounts['201'] ?? 0;
    await sleep(2_000);
    const held = await both();
    log(`  ${openHolds} open holds: runner ${held.runner} MiB, API ${held.api} MiB`);
    ids.length = 0;

    // The soak: holds at `rate`/s, and the release of each hold (once placed) at the same rate.
    const samples: Array<{ readonly atS: number; readonly runner: number; readonly api: number }> = [];
    const t0 = performance.now();
    const sampler = setInterval(() => samples.push({ atS: Math.round((performance.now() - t0) / 1000), runner: round2(rssMiB(pids.runner)), api: round2(rssMiB(pids.api)) }), SampleEveryMs);
    const count = Math.round(o.soakRate * o.soakSeconds);
    const release: LoadTarget = {
      origin: api.url,
      // The oldest placed hold not yet released; none yet (the loop started first): a release of an unknown id (404).
      make: (i) => releaseRequest(system.apiKey, ids.shift() ?? 'r_none', `mem-release-${i}`),
      expect: [200, 404, 503],
    };
    const [soakHolds, soakReleases] = await Promise.all([
      runOpenLoop(holdOn('mem-soak', (i) => skus[(i * 7919) % skus.length] ?? 'MEM-0'), { rate: o.soakRate, count, connections: options.openConnections, stop }),
      sleep(1_000).then(() => runOpenLoop(release, { rate: o.soakRate, count, connections: options.openConnections, stop })),
    ]);
    clearInterval(sampler);
    const warmS = o.soakSeconds / 5;
    const growth = (role: 'runner' | 'api') => {
      const atWarm = samples.find((s) => s.atS >= warmS)?.[role];
      const last = samples.filter((s) => s.atS > o.soakSeconds - 60).map((s) => s[role]);
      if (atWarm === undefined || last.length === 0) return null;
      return round2((last.reduce((a, b) => a + b, 0) / last.length - atWarm) / atWarm);
    };
    const per10k = (a: number, b: number, n: number) => (n === 0 ? null : round2(((a - b) * 10_000) / n));
    const runnerGrowth = growth('runner');
    const apiGrowth = growth('api');
    return {
      id: 'memory',
      title: `Memory: idle, per ${o.skus.toLocaleString('en-US')} active SKUs, per open hold, and a ${o.soakSeconds} s hold-and-release soak at ${o.soakRate}/s`,
      runs: [],
      figures: {
        idleRunnerMiB: idle.runner,
        idleApiMiB: idle.api,
        runnerMiBPer10kActiveSkus: per10k(loaded.runner, idle.runner, o.skus),
        apiMiBPer10kActiveSkus: per10k(loaded.api, idle.api, o.skus),
        runnerMiBPer10kOpenHolds: per10k(held.runner, loaded.runner, openHolds),
        apiMiBPer10kOpenHolds: per10k(held.api, loaded.api, openHolds),
        soakHoldsPlaced: soakHolds.statusCounts['201'] ?? 0,
        soakReleased: soakReleases.statusCounts['200'] ?? 0,
        soakRunnerMiBAtWarmUp: samples.find((s) => s.atS >= warmS)?.runner ?? null,
        soakRunnerMiBAtEnd: samples.at(-1)?.runner ?? null,
        soakApiMiBAtWarmUp: samples.find((s) => s.atS >= warmS)?.api ?? null,
        soakApiMiBAtEnd: samples.at(-1)?.api ?? null,
      },
      ratios: [
        { name: 'idle runner RSS', value: idle.runner, unit: ' MiB', target: atMost(idle.runner, 200, 'MiB') },
        { name: `runner RSS growth over the soak after ${warmS} s of warm-up (last minute's mean ÷ at warm-up − 1)`, value: runnerGrowth, target: atMost(runnerGrowth, FlatWithin, '×') },
        { name: `API RSS growth over the soak after ${warmS} s of warm-up`, value: apiGrowth, target: atMost(apiGrowth, FlatWithin, '×') },
      ],
      oversell: [],
      notes: [
        `RSS (VmRSS) in MiB, each the median of five readings 200 ms apart; per-10,000 figures are the rise over the step before, scaled. Soak samples every ${SampleEveryMs / 1000} s: ${samples.map((s) => `${s.atS}s ${s.runner}/${s.api}`).join(', ')} (runner/API).`,
        `Soak: holds at ${o.soakRate}/s on the ${o.skus.toLocaleString('en-US')} SKUs and the release of each placed hold at the same rate; holds ${JSON.stringify(soakHolds.statusCounts)}, releases ${JSON.stringify(soakReleases.statusCounts)} (a 404 is a release sent before any hold was placed).`,
      ],
      detail: { idle, loaded, held, samples },
    };
  } finally {
    sender.close();
    await system.remove();
  }
};
