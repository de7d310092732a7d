// A private redis-server child process for outage tests: no persistence, a fixed port so it can be
// stopped and started again in the same place, and stopped by its own pid only (never by name).
import { spawn } from 'node:child_process';
import { probeTcp } from '../Reachability/ProbeTcp.js';

export interface RedisServerProcess {
  readonly pid: number;
  readonly url: string;
  /** SIGTERM to this pid, then waits for it to exit (SIGKILL after 5 s). */
  readonly stop: () => Promise<void>;
  /** SIGKILL to this pid (a crash: no goodbye to clients), then waits for it to exit. */
  readonly kill: () => Promise<void>;
  /** False once the process has exited. */
  readonly running: () => boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const startRedisServer = async (port: number): Promise<RedisServerProcess> => {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('redis-server did not start (is it on PATH?)');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const killOnExit = () => running && process.kill(pid, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!running) return;
    process.kill(pid, 'SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!stopped && running) {
      process.kill(pid, 'SIGKILL');
      await exited;
    }
  };

  const kill = async () => {
    process.removeListener('exit', killOnExit);
    if (!running) return;
    process.kill(pid, 'SIGKILL');
    await exited;
  };

  for (const deadline = Date.now() + 10_000; ; ) {
    const up = await probeTcp('127.0.0.1', port, 200).then(
      () => true,
      () => false,
    );
    if (up) return { pid, url: `redis://127.0.0.1:${port}`, stop, kill, running: () => running };
    if (!running || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server on port ${port} did not accept connections`);
    }
    await sleep(25);
  }
};
