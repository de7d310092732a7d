// Latencies in an HDR histogram (hdr-histogram-js, 3 significant digits, microsecond units): exact
// enough for p99.9 of sub-millisecond reads, constant memory however many requests a run sends.
import { build, type Histogram } from 'hdr-histogram-js';

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export interface LatencyHistogram {
  /** Records one latency given in milliseconds (fractions kept to the microsecond). */
  readonly record: (ms: number) => void;
  readonly summary: () => LatencySummary;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export const makeLatencyHistogram = (): LatencyHistogram => {
  const h: Histogram = build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, useWebAssembly: false });
  const ms = (us: number) => round2(us / 1000);
  return {
    record: (latencyMs) => h.recordValue(Math.max(1, Math.round(latencyMs * 1000))),
    summary: () =>
      h.totalCount === 0
        ? { count: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, meanMs: 0 }
        : {
            count: h.totalCount,
            p50Ms: ms(h.getValueAtPercentile(50)),
            p90Ms: ms(h.getValueAtPercentile(90)),
            p99Ms: ms(h.getValueAtPercentile(99)),
            p999Ms: ms(h.getValueAtPercentile(99.9)),
            maxMs: ms(h.maxValue),
            meanMs: ms(h.mean),
          },
  };
};
