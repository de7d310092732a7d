// Group commit ON ÷ OFF for each case (path × hot/spread): throughput and latency side by side.
import type { ScenarioResult } from './Scenario.js';

export interface Ratio {
  readonly case: string;
  readonly onPerSecond: number;
  readonly offPerSecond: number;
  /** ON ÷ OFF throughput: above 1 means group commit made it faster. */
  readonly throughput: number;
  /** ON ÷ OFF p99 latency: below 1 means group commit made the tail shorter. */
  readonly p99: number;
  readonly onCommandsPerAppend: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export const ratios = (results: ReadonlyArray<ScenarioResult>): ReadonlyArray<Ratio> =>
  results.flatMap((on) => {
    if (!on.scenario.groupCommit) return [];
    const off = results.find(
      (r) => !r.scenario.groupCommit && r.scenario.path === on.scenario.path && r.scenario.skus === on.scenario.skus,
    );
    if (off === undefined) return [];
    return [
      {
        case: on.scenario.id.replace(/-gc-on$/, ''),
        onPerSecond: on.commandsPerSecond,
        offPerSecond: off.commandsPerSecond,
        throughput: off.commandsPerSecond === 0 ? 0 : round2(on.commandsPerSecond / off.commandsPerSecond),
        p99: off.latency.p99Ms === 0 ? 0 : round2(on.latency.p99Ms / off.latency.p99Ms),
        onCommandsPerAppend: on.commandsPerAppend,
      },
    ];
  });
