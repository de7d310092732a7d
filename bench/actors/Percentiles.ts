// p50 / p99 / max of a latency sample (nearest rank), rounded to 0.01 ms.
import type { Latency } from './Scenario.js';

const round = (ms: number) => Math.round(ms * 100) / 100;

export const percentiles = (sample: Float64Array): Latency => {
  const sorted = Float64Array.from(sample).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1] ?? 0) };
};
