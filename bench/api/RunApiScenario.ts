// One scenario: a warm-up run (not measured), then the measured run with a CPU window around it,
// raced against the death of any child process (or Ctrl-C), which stops the benchmark.
import { cpuWindow } from '../actors/ProcessCpu.js';
import type { ApiBenchOptions } from './ApiBenchOptions.js';
import type { ApiScenario, ApiScenarioResult } from './ApiScenario.js';
import { runLoad, type LoadMeasured } from './LoadRun.js';

export interface Watch {
  /** Resolve with a report when the run must stop: a child died, or Ctrl-C. */
  readonly deaths: ReadonlyArray<Promise<string>>;
  /** For the CPU window: which pid serves this scenario, and the rest. */
  readonly pids: Readonly<Record<string, number | null>>;
}

const watched = async (seconds: number, scenario: ApiScenario, connections: number, watch: Watch): Promise<LoadMeasured> => {
  const run = runLoad({ ...scenario.request, connections, seconds });
  const outcome = await Promise.race([run.done.then((measured) => ({ measured })), ...watch.deaths.map((d) => d.then((death) => ({ death })))]);
  if ('death' in outcome) {
    run.stop();
    await run.done.catch(() => undefined);
    throw new Error(`${scenario.id}: ${outcome.death}`);
  }
  return outcome.measured;
};

export const runApiScenario = async (scenario: ApiScenario, o: ApiBenchOptions, watch: Watch): Promise<ApiScenarioResult> => {
  const warmup = await watched(o.warmupSeconds, scenario, o.connections, watch);
  const endCpu = cpuWindow(watch.pids);
  const measured = await watched(o.durationSeconds, scenario, o.connections, watch);
  const cpuPercent = endCpu();
  const expected = measured.statusCounts[String(scenario.expectStatus)] ?? 0;
  return {
    id: scenario.id,
    route: scenario.route,
    connections: o.connections,
    warmup,
    measured,
    unexpected: measured.answers - expected,
    expectStatus: scenario.expectStatus,
    cpuPercent,
  };
};
