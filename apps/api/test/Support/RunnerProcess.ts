// A shard runner of apps/inventory-actors as a real child process (`node --import tsx src/main.ts`,
// started by file path: the API may not import that app). Waits for its "runner ready" log line and
// stops it by its own pid only.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunnerProcess {
  readonly pid: number;
  /** SIGTERM (the runner drains) and waits; SIGKILL if it has not exited after `graceMs`. */
  readonly stop: (graceMs?: number) => Promise<void>;
  readonly output: () => string;
}

const runnerMain = fileURLToPath(new URL('../../../inventory-actors/src/main.ts', import.meta.url));

export const startRunnerProcess = (env: Readonly<Record<string, string>>, readyTimeoutMs = 30_000): Promise<RunnerProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', runnerMain], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const alive = () => child.exitCode === null && child.signalCode === null;
    // If this test worker ends without its cleanup (a hook timed out), the runner must not outlive it.
    const killOnExit = () => {
      if (alive() && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    };
    process.once('exit', killOnExit);
    void exited.then(() => process.off('exit', killOnExit));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runner did not become ready within ${readyTimeoutMs} ms:\n${output.slice(-4000)}`));
    }, readyTimeoutMs);
    const append = (chunk: Buffer) => {
      // Keep the tail only: a runner under load logs a lot, the tail is what explains a failure.
      output = (output + chunk.toString()).slice(-64_000);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      append(chunk);
      if (output.includes('"runner ready"') && child.pid !== undefined) {
        clearTimeout(timer);
        const pid = child.pid;
        resolve({
          pid,
          output: () => output,
          stop: async (graceMs = 10_000) => {
            if (alive()) process.kill(pid, 'SIGTERM');
            const timer = setTimeout(() => alive() && process.kill(pid, 'SIGKILL'), graceMs);
            await exited;
            clearTimeout(timer);
          },
        });
      }
    });
    child.stderr.on('data', append);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`runner exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output.slice(-4000)}`));
    });
  });
