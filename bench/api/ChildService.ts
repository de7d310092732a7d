// A process of the system under test (runner, API, baseline server) started from its sources under
// tsx, awaited until it logs its "ready" line, and stopped by its own pid: SIGTERM, SIGKILL after a grace.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const TailChars = 16_000;

export const startChildService = (o: ChildServiceOptions): Promise<ChildService> =>
  new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', `${root}${o.entry}`], {
      env: { ...process.env, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    let warnings = 0;
    let ready = false;
    let stopping = false;
    const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    const remember = (chunk: Buffer) => {
      const text = chunk.toString();
      // pino levels: 40 warn, 50 error, 60 fatal.
      warnings += (text.match(/"level":(4|5|6)0/g) ?? []).length;
      tail = (tail + text).slice(-TailChars);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${o.name} did not log ${o.ready} within ${o.readyTimeoutMs} ms:\n${tail}`));
    }, o.readyTimeoutMs);
    child.stderr.on('data', remember);
    child.stdout.on('data', (chunk: Buffer) => {
      remember(chunk);
      if (ready || !tail.includes(o.ready) || child.pid === undefined) return;
      ready = true;
      clearTimeout(timer);
      const pid = child.pid;
      resolve({
        name: o.name,
        pid,
        readyMs: Math.round(performance.now() - startedAt),
        died: exited.then(({ code, signal }) =>
          stopping ? new Promise<string>(() => undefined) : `${o.name} ${pid} exited (code ${code}, signal ${signal}) during the run:\n${tail}`,
        ),
        logTail: () => tail,
        warnings: () => warnings,
        stop: async (graceMs) => {
          stopping = true;
          const t0 = performance.now();
          if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
          const grace = new Promise<'late'>((done) => setTimeout(() => done('late'), graceMs).unref());
          const first = await Promise.race([exited, grace]);
          if (first !== 'late') return { ...first, stopMs: Math.round(performance.now() - t0), killed: false };
          process.kill(pid, 'SIGKILL');
          return { ...(await exited), stopMs: Math.round(performance.now() - t0), killed: true };
        },
      });
    });
    void exited.then(({ code, signal }) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${o.name} exited (code ${code}, signal ${signal}) before it was ready:\n${tail}`));
    });
  });
