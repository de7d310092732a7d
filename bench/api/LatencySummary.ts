// p50 / p90 / p99 / max of a latency sample in ms (nearest rank), rounded to 0.01 ms. Autocannon's
// own histogram counts whole milliseconds, too coarse for reads served from memory.
export interface LatencySummary {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export const latencySummary = (sample: ReadonlyArray<number>): LatencySummary => {
  const sorted = Float64Array.from(sample).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { p50Ms: round(at(0.5)), p90Ms: round(at(0.9)), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1] ?? 0) };
};
