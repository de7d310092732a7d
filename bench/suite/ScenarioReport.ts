// What every scenario hands back: its load runs (one table row each), headline figures, ratios
// (with the issue's target where there is one) and oversell read-backs, for the JSON and markdown.
import type { LoadResult } from './HttpLoad.js';
import type { OversellReport } from './Oversell.js';
import type { ScenarioIdOfSuite } from './SuiteOptions.js';

export type SystemName = 'larder' | 'baseline-a' | 'baseline-b' | 'baseline-c';

export interface LabeledRun {
  readonly label: string;
  readonly system: SystemName;
  readonly route: string;
  readonly result: LoadResult;
  /** % of one core over the run, by process (generator = the bench process itself). */
  readonly cpuPercent: Readonly<Record<string, number | null>>;
}

export interface Target {
  /** e.g. `≥ 3× baseline (b)`. */
  readonly text: string;
  readonly pass: boolean;
}

export interface Ratio {
  readonly name: string;
  readonly value: number | null;
  readonly target: Target | null;
  /** Printed after the value: `×` (a ratio) unless said otherwise, e.g. ` ms`. */
  readonly unit?: string;
}

export interface ScenarioReport {
  readonly id: ScenarioIdOfSuite;
  readonly title: string;
  readonly runs: ReadonlyArray<LabeledRun>;
  readonly figures: Readonly<Record<string, number | string | null>>;
  readonly ratios: ReadonlyArray<Ratio>;
  readonly oversell: ReadonlyArray<{ readonly label: string; readonly report: OversellReport }>;
  readonly notes: ReadonlyArray<string>;
  /** Scenario-specific detail kept in the JSON only. */
  readonly detail?: unknown;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : round2(a / b);

const bounded = (bound: number, what: string) => `${bound}${what === '×' ? '×' : ` ${what}`}`;
export const atLeast = (value: number | null, bound: number, what: string): Target => ({ text: `≥ ${bounded(bound, what)}`, pass: value !== null && value >= bound });
export const atMost = (value: number | null, bound: number, what: string): Target => ({ text: `≤ ${bounded(bound, what)}`, pass: value !== null && value <= bound });
