// One shard runner as a child process running the real entry point under tsx, so the load
// generator and the runner never share an event loop. Stopped by its own pid with SIGTERM.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunnerExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stopMs: number;
  /** True when SIGTERM did not end it within the grace period and SIGKILL had to. */
  readonly killed: boolean;
}

export interface RunnerProcess {
  readonly pid: number;
  readonly readyMs: number;
  /** Resolves if the process ends before `stop` was called: a crash. */
  readonly died: Promise<string>;
  readonly stop: (graceMs: number) => Promise<RunnerExit>;
  /** The last lines it logged, for a failure report. */
  readonly logTail: () => string;
  /** Log lines at warn level or above. */
  readonly warnings: () => number;
}

const entry = fileURLToPath(new URL('../../apps/inventory-actors/src/main.ts', import.meta.url));
const TailChars = 16_000;

export interface RunnerProcessOptions {
  readonly env: Readonly<Record<string, string>>;
  /** Where V8 writes the child's CPU profile when it exits; none when null. */
  readonly profileDir: string | null;
  readonly readyTimeoutMs: number;
}

export const startRunnerProcess = ({ env, profileDir, readyTimeoutMs }: RunnerProcessOptions): Promise<RunnerProcess> =>
  new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const profile = profileDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    const child = spawn(process.execPath, [...profile, '--conditions=development', '--import', 'tsx', entry], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
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
      return text;
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runner did not log "runner ready" within ${readyTimeoutMs} ms:\n${tail}`));
    }, readyTimeoutMs);
    child.stderr.on('data', remember);
    child.stdout.on('data', (chunk: Buffer) => {
      remember(chunk);
      if (ready || !tail.includes('"runner ready"') || child.pid === undefined) return;
      ready = true;
      clearTimeout(timer);
      const pid = child.pid;
      resolve({
        pid,
        readyMs: performance.now() - startedAt,
        died: exited.then(({ code, signal }) =>
          stopping ? new Promise<string>(() => undefined) : `runner ${pid} exited (code ${code}, signal ${signal}) during the run:\n${tail}`,
        ),
        logTail: () => tail,
        warnings: () => warnings,
        stop: async (graceMs) => {
          stopping = true;
          const t0 = performance.now();
          if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
          const grace = new Promise<'late'>((done) => setTimeout(() => done('late'), graceMs).unref());
          const first = await Promise.race([exited, grace]);
          if (first !== 'late') return { ...first, stopMs: performance.now() - t0, killed: false };
          process.kill(pid, 'SIGKILL');
          return { ...(await exited), stopMs: performance.now() - t0, killed: true };
        },
      });
    });
    void exited.then(({ code, signal }) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`runner exited (code ${code}, signal ${signal}) before it was ready:\n${tail}`));
    });
  });
