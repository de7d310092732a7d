// A Larder entry point (`node --conditions=development --import tsx <entry>`, or `node <entry>` for compiled output) as a child process: awaited until
// a log line says it is ready, and stopped by its own pid only (SIGTERM, then SIGKILL after a grace).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LarderProcessOptions {
  /** Used in error messages. */
  readonly name: string;
  /**
   * Relative to the repository root: a TypeScript source (`apps/inventory-actors/src/main.ts`, run through
   * tsx) or compiled output (`apps/inventory-actors/dist/main.js`, run as deployed: build it first).
   */
  readonly entry: string;
  /** Added to this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** A substring of the stdout line that means ready, e.g. `"runner ready"`. */
  readonly ready: string;
  /** Defaults to 30 s; `Infinity` waits as long as it takes. The child is SIGKILLed when it runs out. */
  readonly readyTimeoutMs?: number;
  /** `capture` (default) keeps its output for `output()`; `inherit` also shows it on this process's terminal. */
  readonly stdout?: 'capture' | 'inherit';
  /** Node flags before the entry, e.g. `--cpu-prof`. */
  readonly nodeArgs?: ReadonlyArray<string>;
  /** Called with every chunk it writes, e.g. to count warnings. */
  readonly onOutput?: (text: string) => void;
}

/**
 * The V8 flags Larder's servers run with (the Dockerfile sets the same in NODE_OPTIONS; `npm start` and
 * the benchmark pass them; tests do not need them). A young generation of 64 MB instead of Node's
 * 16 MB: at tens of thousands of requests a second the default nursery fills every few milliseconds,
 * so request objects still in flight survive into the old generation and every scavenge and
 * mark-compact costs more — after a flash sale the API spent 17 % of its time in GC and served reads
 * at half the rate (docs/performance.md, "Young generation").
 */
export const LarderNodeFlags: ReadonlyArray<string> = ['--max-semi-space-size=64'];

export interface LarderProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface LarderProcess {
  readonly pid: number;
  /** Its exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  readonly ended: Promise<LarderProcessExit>;
  /** The tail of what it wrote (stdout and, when captured, stderr). */
  readonly output: () => string;
  /** Sends the signal and waits for the process to exit. */
  readonly kill: (signal: NodeJS.Signals) => Promise<void>;
  /** SIGTERM and waits; SIGKILL if it has not exited after `graceMs` (10 s by default). */
  readonly stop: (graceMs?: number) => Promise<void>;
}

const root = fileURLToPath(new URL('../../../../', import.meta.url));
// A process under load logs a lot: the tail is what explains a failure.
const TailChars = 64_000;
const ReportChars = 16_000;

export const startLarderProcess = (options: LarderProcessOptions): Promise<LarderProcess> =>
  new Promise((resolve, reject) => {
    const { name, ready, readyTimeoutMs = 30_000 } = options;
    const inherit = options.stdout === 'inherit';
    // Compiled output (`dist/…js`, as deployed) runs on plain node; TypeScript sources through tsx.
    const loader = options.entry.endsWith('.js') ? [] : ['--conditions=development', '--import', 'tsx'];
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, `${root}${options.entry}`], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', inherit ? 'inherit' : 'pipe'],
    });
    let output = '';
    let isReady = false;
    const ended = new Promise<LarderProcessExit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
    const alive = () => child.exitCode === null && child.signalCode === null;
    const report = () => (inherit ? 'its log is above' : `its log:\n${output.slice(-ReportChars)}`);
    const signal = (pid: number, sig: NodeJS.Signals) => {
      if (alive()) process.kill(pid, sig);
    };
    // If this process ends without stopping it (a test hook timed out), the child must not outlive it.
    const killOnExit = () => child.pid !== undefined && signal(child.pid, 'SIGKILL');
    process.once('exit', killOnExit);
    void ended.then(() => process.off('exit', killOnExit));

    const timer = Number.isFinite(readyTimeoutMs)
      ? setTimeout(() => {
          if (child.pid !== undefined) signal(child.pid, 'SIGKILL');
          reject(new Error(`${name} did not log ${ready} within ${readyTimeoutMs} ms; ${report()}`));
        }, readyTimeoutMs)
      : undefined;
    const append = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-TailChars);
      options.onOutput?.(text);
    };
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not be started: ${error.message}`));
    });
    child.stderr?.on('data', append);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (inherit) process.stdout.write(chunk);
      append(chunk);
      if (isReady || !output.includes(ready) || child.pid === undefined) return;
      isReady = true;
      clearTimeout(timer);
      const pid = child.pid;
      resolve({
        pid,
        exited: ended.then(({ code }) => code),
        ended,
        output: () => output,
        kill: async (sig) => {
          signal(pid, sig);
          await ended;
        },
        stop: async (graceMs = 10_000) => {
          signal(pid, 'SIGTERM');
          const late = setTimeout(() => signal(pid, 'SIGKILL'), graceMs);
          await ended;
          clearTimeout(late);
        },
      });
    });
    void ended.then(({ code, signal: sig }) => {
      if (isReady) return;
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code}, signal ${sig}) before it was ready; ${report()}`));
    });
  });
