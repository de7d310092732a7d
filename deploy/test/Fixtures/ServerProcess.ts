// A server binary run by a test (redis-server, postgres, prometheus): waited on until it answers, stopped by its own
// pid (the given signal, then SIGKILL after a grace period), and never left behind if the test dies.
import { spawn } from 'node:child_process';

export interface ServerProcessOptions {
  readonly name: string;
  readonly command: string;
  /** How to get `command` when it is not on PATH (said in the error). */
  readonly install?: string;
  readonly args: ReadonlyArray<string>;
  /** Run as this user (the test runs as root; postgres refuses to). */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** Resolves true once the server answers. */
  readonly ready: () => Promise<boolean>;
  readonly readyTimeoutMs?: number;
  /** The signal of a clean, quick stop (postgres: SIGINT, "fast shutdown"). */
  readonly stopSignal?: NodeJS.Signals;
}

export interface ServerProcess {
  readonly pid: number;
  /** The tail of what it wrote (stdout and stderr). */
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export const startServerProcess = async (options: ServerProcessOptions): Promise<ServerProcess> => {
  const child = spawn(options.command, [...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-16_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError: NodeJS.ErrnoException | undefined;
  const ended = new Promise<void>((done) => {
    child.once('exit', () => done());
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
      output += `\n${error.message}`;
      done();
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const killOnExit = () => {
    if (alive() && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!alive() || child.pid === undefined) return;
    const pid = child.pid;
    process.kill(pid, options.stopSignal ?? 'SIGTERM');
    const late = setTimeout(() => alive() && process.kill(pid, 'SIGKILL'), 10_000);
    await ended;
    clearTimeout(late);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (alive()) {
    if (await options.ready()) return { pid: child.pid ?? -1, output: () => output, stop };
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  await stop();
  if (child.pid === undefined) await ended; // spawn failed: its 'error' comes after this tick
  if (spawnError?.code === 'ENOENT') {
    throw new Error(`${options.command} is needed on PATH${options.install === undefined ? '' : ` (${options.install})`}: ${spawnError.message}`);
  }
  throw new Error(`${options.name} (${options.command} ${options.args.join(' ')}) did not become ready; its output: ${output.trim()}`);
};
