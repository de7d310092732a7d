// Each API scenario's rate divided by the bare-Fastify baselines': how much of the framework's
// ceiling on this machine the route keeps; `reserve` also ÷ the Postgres and Redis reserve baselines.
import type { ApiScenarioResult, ScenarioId } from './ApiScenario.js';

export interface ApiRatio {
  readonly id: ScenarioId;
  readonly perSecond: number;
  /** ÷ baseline-inline (the server in the load generator's process), null when it was not run. */
  readonly overInline: number | null;
  /** ÷ baseline-child (the server in its own process, as the API is). */
  readonly overChild: number | null;
  /** reserve only: ÷ baseline-pg (row lock + ledger in one transaction), null otherwise or when not run. */
  readonly overPg: number | null;
  /** reserve only: ÷ baseline-redis (decrement-if-enough Lua). */
  readonly overRedis: number | null;
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
      overPg: r.id === 'reserve' ? over(r.measured.answersPerSecond, rate('baseline-pg')) : null,
      overRedis: r.id === 'reserve' ? over(r.measured.answersPerSecond, rate('baseline-redis')) : null,
    }));
};
