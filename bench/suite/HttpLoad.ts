// The load generator (undici Pool, keep-alive, no pipelining). Open loop: request i is due at
// t0 + i/rate whether or not earlier ones were answered, and its latency is measured from that
// intended time, so queueing anywhere (generator, server, pool) shows up instead of being omitted.
// Max rate: `connections` closed-loop workers, each sending its next request when answered.
import { Pool } from 'undici';
import { makeLatencyHistogram, type LatencySummary } from './LatencyHistogram.js';

export interface HttpRequestSpec {
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

export interface LoadTarget {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The i-th request (i from 0). */
  readonly make: (i: number) => HttpRequestSpec;
  /** Called with each answer; the body is read only when `wantsBody` says so (else discarded). */
  readonly onAnswer?: (i: number, status: number, body: string | null) => void;
  readonly wantsBody?: (status: number) => boolean;
  /** Statuses that are a correct answer here (others are counted as unexpected). */
  readonly expect: ReadonlyArray<number>;
}

export interface LoadResult {
  readonly mode: 'open' | 'max';
  /** Open loop: the offered rate; max: null. */
  readonly offeredPerSecond: number | null;
  readonly connections: number;
  readonly sent: number;
  readonly answered: number;
  /** First send → last answer. */
  readonly seconds: number;
  readonly answersPerSecond: number;
  /** Open loop: from the intended send time; max rate: from the send. Every answer, whatever its status. */
  readonly latency: LatencySummary;
  /** Open loop only: how late the generator itself sent (actual − intended); large = the generator was the bottleneck. */
  readonly sendLag: LatencySummary | null;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Seconds from the first send to the last answer with this status. */
  readonly lastAnswerAt: Readonly<Record<string, number>>;
  readonly unexpected: number;
  readonly errors: Readonly<Record<string, number>>;
}

const TimeoutMs = 30_000;

const errorName = (error: unknown) =>
  error instanceof Error ? ('code' in error && typeof error.code === 'string' ? error.code : error.message) : String(error);

const makePool = (origin: string, connections: number) =>
  new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: TimeoutMs, bodyTimeout: TimeoutMs });

/** One request → its status, body (if wanted) and when the answer was complete. */
const makeSender = (pool: Pool, target: LoadTarget, t0: () => number, tally: Tally) => async (i: number): Promise<void> => {
  const spec = target.make(i);
  try {
    const { statusCode, body } = await pool.request({ path: spec.path, method: spec.method, headers: spec.headers, body: spec.body });
    const wanted = target.wantsBody?.(statusCode) ?? false;
    const text = wanted ? await body.text() : (await body.dump(), null);
    const code = String(statusCode);
    tally.statusCounts[code] = (tally.statusCounts[code] ?? 0) + 1;
    tally.lastAnswerAt[code] = (performance.now() - t0()) / 1000;
    if (!target.expect.includes(statusCode)) tally.unexpected++;
    target.onAnswer?.(i, statusCode, text);
  } catch (error) {
    const name = errorName(error);
    tally.errors[name] = (tally.errors[name] ?? 0) + 1;
  }
};

interface Tally {
  statusCounts: Record<string, number>;
  lastAnswerAt: Record<string, number>;
  errors: Record<string, number>;
  unexpected: number;
}

const newTally = (): Tally => ({ statusCounts: {}, lastAnswerAt: {}, errors: {}, unexpected: 0 });

const resultOf = (mode: 'open' | 'max', offered: number | null, connections: number, sent: number, seconds: number, tally: Tally, latency: LatencySummary, sendLag: LatencySummary | null): LoadResult => {
  const answered = Object.values(tally.statusCounts).reduce((a, b) => a + b, 0);
  return {
    mode,
    offeredPerSecond: offered,
    connections,
    sent,
    answered,
    seconds: Math.round(seconds * 1000) / 1000,
    answersPerSecond: seconds > 0 ? Math.round(answered / seconds) : 0,
    latency,
    sendLag,
    statusCounts: tally.statusCounts,
    lastAnswerAt: tally.lastAnswerAt,
    unexpected: tally.unexpected + Object.values(tally.errors).reduce((a, b) => a + b, 0),
    errors: tally.errors,
  };
};

export interface OpenLoopOptions {
  readonly rate: number;
  readonly count: number;
  readonly connections: number;
  /** Checked every tick: a truthy answer stops sending (e.g. a child died). */
  readonly stop?: () => boolean;
}

export const runOpenLoop = async (target: LoadTarget, o: OpenLoopOptions): Promise<LoadResult> => {
  const pool = makePool(target.origin, o.connections);
  const latency = makeLatencyHistogram();
  const lag = makeLatencyHistogram();
  const tally = newTally();
  const start = performance.now() + 2;
  const send = makeSender(pool, target, () => start, tally);
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / o.rate;
  let i = 0;
  try {
    await new Promise<void>((done) => {
      const tick = () => {
        const now = performance.now();
        if (o.stop?.() === true) return done();
        const due = Math.min(o.count, Math.floor((now - start) / interval) + 1);
        for (; i < due; i++) {
          const intended = start + i * interval;
          lag.record(performance.now() - intended);
          const p: Promise<void> = send(i).then(() => latency.record(performance.now() - intended));
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
        if (i >= o.count) return done();
        setTimeout(tick, Math.max(0, Math.min(1, start + i * interval - performance.now())));
      };
      setTimeout(tick, 2);
    });
    await Promise.all(inFlight);
    return resultOf('open', o.rate, o.connections, i, (performance.now() - start) / 1000, tally, latency.summary(), lag.summary());
  } finally {
    await pool.close();
  }
};

export interface MaxRateOptions {
  readonly connections: number;
  /** Stop after this many requests, or … */
  readonly count?: number;
  /** … after this many seconds (whichever comes first). */
  readonly seconds?: number;
  readonly stop?: () => boolean;
}

export const runMaxRate = async (target: LoadTarget, o: MaxRateOptions): Promise<LoadResult> => {
  const pool = makePool(target.origin, o.connections);
  const latency = makeLatencyHistogram();
  const tally = newTally();
  const start = performance.now();
  const send = makeSender(pool, target, () => start, tally);
  const count = o.count ?? Number.MAX_SAFE_INTEGER;
  const until = o.seconds === undefined ? Number.POSITIVE_INFINITY : start + o.seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < until && o.stop?.() !== true) {
      const i = next++;
      const t = performance.now();
      await send(i);
      latency.record(performance.now() - t);
    }
  };
  try {
    await Promise.all(Array.from({ length: o.connections }, worker));
    return resultOf('max', null, o.connections, next, (performance.now() - start) / 1000, tally, latency.summary(), null);
  } finally {
    await pool.close();
  }
};
