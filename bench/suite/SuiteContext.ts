// What each scenario gets: the running system (runner + API children on their own namespace), a
// NATS command sender for seeding, the baselines, a watchdog on every child, and `measure`, which
// runs one load inside a CPU window and fails the scenario if a child died meanwhile.
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { ChildService } from '../actors/ChildService.js';
import { cpuWindow, localNatsServerPid } from '../actors/ProcessCpu.js';
import type { Services } from '../actors/Services.js';
import type { Baselines } from './Baselines.js';
import type { OversellSources } from './CheckOversell.js';
import type { LoadResult } from './HttpLoad.js';
import type { LabeledRun, SystemName } from './ScenarioReport.js';
import type { CommandSender } from './Seeding.js';
import type { SuiteOptions } from './SuiteOptions.js';
import type { ApiInstance, SuiteSystem } from './SuiteSystem.js';

export interface Watchdog {
  readonly watch: (child: ChildService) => void;
  /** Every child watched so far, by name and pid (to tell whose CPU profile is whose). */
  readonly children: () => ReadonlyArray<{ readonly name: string; readonly pid: number }>;
  /** A child died unasked, or Ctrl-C: the report, else null. */
  readonly trouble: () => string | null;
  readonly interrupt: (why: string) => void;
}

export const makeWatchdog = (): Watchdog => {
  let report: string | null = null;
  const children: Array<{ name: string; pid: number }> = [];
  return {
    watch: (child) => {
      children.push({ name: child.name, pid: child.pid });
      void child.died.then((death) => (report ??= death));
    },
    children: () => [...children],
    trouble: () => report,
    interrupt: (why) => (report ??= why),
  };
};

export interface SuiteContext {
  readonly options: SuiteOptions;
  readonly services: Services;
  readonly system: SuiteSystem;
  readonly api: ApiInstance;
  readonly sender: CommandSender;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly oversell: OversellSources;
  readonly baselines: Baselines;
  readonly watchdog: Watchdog;
  readonly log: (line: string) => void;
  /** Runs one load in a CPU window (the system's children, the generator, nats-server, Postgres + Redis). */
  readonly measure: (label: string, system: SystemName, route: string, run: () => Promise<LoadResult>, pids?: Readonly<Record<string, number | null>>) => Promise<LabeledRun>;
  /** Throws the watchdog's report if something died. */
  readonly alive: () => void;
}

/** One load of a window that `measureLoads` runs with others. */
export interface WindowLoad {
  readonly label: string;
  readonly system: SystemName;
  readonly route: string;
  readonly run: () => Promise<LoadResult>;
}

/**
 * Runs the loads at the same time in one CPU window (the system's children, `pids`, the generator,
 * nats-server, Postgres + Redis): one row each, sharing the window's CPU figures. Throws if a child died meanwhile.
 */
export const measureLoads = async (
  system: SuiteSystem,
  watchdog: Watchdog,
  log: (line: string) => void,
  loads: ReadonlyArray<WindowLoad>,
  pids: Readonly<Record<string, number | null>> = {},
): Promise<ReadonlyArray<LabeledRun>> => {
  const end = cpuWindow({ ...system.pids(), ...pids, generator: process.pid, natsServer: localNatsServerPid() });
  const results = await Promise.all(loads.map((load) => load.run()));
  const cpuPercent = end();
  const trouble = watchdog.trouble();
  if (trouble !== null) throw new Error(`${loads.map((load) => load.label).join(' + ')}: ${trouble}`);
  return loads.map(({ label, system: sys, route }, i) => {
    const result = results[i];
    if (result === undefined) throw new Error(`${label}: no result`);
    const statuses = Object.entries(result.statusCounts).map(([s, n]) => `${s}×${n}`).join(' ');
    log(`  ${label}: ${result.answersPerSecond.toLocaleString('en-US')}/s, p50 ${result.latency.p50Ms} p99 ${result.latency.p99Ms} p99.9 ${result.latency.p999Ms} ms [${statuses}]${result.unexpected > 0 ? ` ⚠ ${result.unexpected} unexpected ${JSON.stringify(result.errors)}` : ''}`);
    return { label, system: sys, route, result, cpuPercent };
  });
};

export const makeMeasure =
  (system: SuiteSystem, watchdog: Watchdog, log: (line: string) => void): SuiteContext['measure'] =>
  async (label, sys, route, run, pids = {}) => {
    const [labeled] = await measureLoads(system, watchdog, log, [{ label, system: sys, route, run }], pids);
    if (labeled === undefined) throw new Error(`${label}: no result`);
    return labeled;
  };
