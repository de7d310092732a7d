// Each API scenario's rate divided by the bare-Fastify baselines': how much of the framework's
// ceiling on this machine the route keeps.
import type { ApiScenarioResult, ScenarioId } from './ApiScenario.js';

export interface ApiRatio {
  readonly id: ScenarioId;
  readonly perSecond: number;
  /** ÷ baseline-inline (the server in the load generator's process), null when it was not run. */
  readonly overInline: number | null;
  /** ÷ baseline-child (the server in its own process, as the API is). */
  readonly overChild: number | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export const apiRatios = (results: ReadonlyArray<ApiScenarioResult>): ReadonlyArray<ApiRatio> => {
  const rate = (id: ScenarioId) => results.find((r) => r.id === id)?.measured.answersPerSecond;
  const over = (n: number, base: number | undefined) => (base === undefined || base === 0 ? null : round2(n / base));
  return results
    .filter((r) => !r.id.startsWith('baseline'))
    .map((r) => ({
      id: r.id,
      perSecond: r.measured.answersPerSecond,
      overInline: over(r.measured.answersPerSecond, rate('baseline-inline')),
      overChild: over(r.measured.answersPerSecond, rate('baseline-child')),
    }));
};
