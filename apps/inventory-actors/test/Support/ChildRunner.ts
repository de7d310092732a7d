// A runner as a real child process (`node --import tsx src/main.ts`), for crash tests: waits for
// its "runner ready" log line, and stops it by its own pid only.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildRunner {
  readonly pid: number;
  /** Sends the signal and waits for the process to exit. */
  readonly kill: (signal: NodeJS.Signals) => Promise<void>;
  readonly exited: Promise<number | null>;
  readonly output: () => string;
}

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export const startChildRunner = (env: Readonly<Record<string, string>>, readyTimeoutMs = 30_000): Promise<ChildRunner> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', main], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runner did not become ready within ${readyTimeoutMs} ms:\n${output.slice(-4000)}`));
    }, readyTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"runner ready"') && child.pid !== undefined) {
        clearTimeout(timer);
        const pid = child.pid;
        resolve({
          pid,
          exited,
          output: () => output,
          kill: async (signal) => {
            if (child.exitCode === null && child.signalCode === null) process.kill(pid, signal);
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`runner exited (${code}) before it was ready:\n${output.slice(-4000)}`));
    });
  });
