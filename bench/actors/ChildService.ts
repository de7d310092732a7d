// A process of the system under test (runner, API, baseline server) for the benchmarks, on the shared
// startLarderProcess: adds how long it took to be ready and to stop, its warnings, and its death mid-run.
import { startLarderProcess } from '@larder/testing';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stopMs: number;
  /** True when SIGTERM did not end it within the grace period and SIGKILL had to. */
  readonly killed: boolean;
}

export interface ChildService {
  readonly name: string;
  readonly pid: number;
  readonly readyMs: number;
  /** Resolves (with a report) if the process ends before `stop` was called: a crash. */
  readonly died: Promise<string>;
  readonly stop: (graceMs: number) => Promise<ChildExit>;
  /** Sends this signal (e.g. SIGKILL, a crash on purpose) and waits for the exit; not reported as a death. */
  readonly kill: (signal: NodeJS.Signals) => Promise<ChildExit>;
  /** The last lines it logged, for a failure report. */
  readonly logTail: () => string;
  /** Log lines at pino's warn level or above. */
  readonly warnings: () => number;
}

export interface ChildServiceOptions {
  readonly name: string;
  /** Relative to the repository root. */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
  /** Text of the log line that says it is ready, e.g. `"api ready"`. */
  readonly ready: string;
  readonly readyTimeoutMs: number;
  /** Node flags, e.g. `--cpu-prof`. */
  readonly nodeArgs?: ReadonlyArray<string>;
  /** Every chunk it writes, as it comes (e.g. to timestamp its log lines). */
  readonly onOutput?: (text: string) => void;
}

const TailChars = 16_000;

export const startChildService = async (o: ChildServiceOptions): Promise<ChildService> => {
  const startedAt = performance.now();
  let warnings = 0;
  let stopping = false;
  const child = await startLarderProcess({
    ...o,
    // pino levels: 40 warn, 50 error, 60 fatal.
    onOutput: (text) => {
      warnings += (text.match(/"level":(4|5|6)0/g) ?? []).length;
      o.onOutput?.(text);
    },
  });
  const readyMs = Math.round(performance.now() - startedAt);
  const logTail = () => child.output().slice(-TailChars);
  return {
    name: o.name,
    pid: child.pid,
    readyMs,
    died: child.ended.then(({ code, signal }) =>
      stopping ? new Promise<string>(() => undefined) : `${o.name} ${child.pid} exited (code ${code}, signal ${signal}) during the run:\n${logTail()}`,
    ),
    logTail,
    warnings: () => warnings,
    stop: async (graceMs) => {
      stopping = true;
      const t0 = performance.now();
      await child.stop(graceMs);
      const { code, signal } = await child.ended;
      return { code, signal, stopMs: Math.round(performance.now() - t0), killed: signal === 'SIGKILL' };
    },
    kill: async (sig) => {
      stopping = true;
      const t0 = performance.now();
      await child.kill(sig);
      const { code, signal } = await child.ended;
      return { code, signal, stopMs: Math.round(performance.now() - t0), killed: signal === 'SIGKILL' };
    },
  };
};
