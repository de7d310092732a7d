// Runs a private nats-server for one test file (free port, temp JetStream store dir) and stops exactly that
// process by its pid: SIGTERM, then SIGKILL after a grace period. Never kills anything by name.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeTcp } from '../Reachability/ProbeTcp.js';
import { freePort } from './FreePort.js';

export interface NatsServerOptions {
  /** A nats-server config file (e.g. deploy/nats/nats-server.conf); `-a`, `-p` and `-sd` override it. */
  readonly config?: string;
  readonly jetstream: boolean;
  /** The binary; defaults to `nats-server` on PATH. */
  readonly binary?: string;
  readonly readyTimeoutMs?: number;
  /** How long SIGTERM gets before SIGKILL. */
  readonly stopTimeoutMs?: number;
  /** A fixed client port (a restart on the same address); a free one by default. */
  readonly port?: number;
  /** A JetStream store dir the caller owns (kept on stop, so a restart finds its data); a temp dir by default. */
  readonly storeDir?: string;
  /** More command-line flags, e.g. a cluster's `--cluster`, `--routes`, `-n`. */
  readonly args?: ReadonlyArray<string>;
}

export interface RunningNatsServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly stop: () => Promise<void>;
  /** Sends a signal to this server only (SIGKILL: a crash; SIGSTOP/SIGCONT: a pause). */
  readonly signal: (signal: NodeJS.Signals) => void;
  /** Resolves when the process has exited, however it ended. */
  readonly ended: Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

const acceptsConnections = (port: number) =>
  probeTcp('127.0.0.1', port, 500).then(
    () => true,
    () => false,
  );

export const startNatsServer = async (options: NatsServerOptions): Promise<RunningNatsServer> => {
  const port = options.port ?? (await freePort());
  const ownStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'larder-nats-')));
  // The config must not set store_dir: nats-server refuses `-sd` beside it ("Duplicate 'store_dir'").
  const args = [
    ...(options.config === undefined ? [] : ['-c', options.config]),
    ...['-a', '127.0.0.1', '-p', String(port)],
    ...(options.jetstream ? ['-js', '-sd', storeDir] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(options.binary ?? 'nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  let endReason: string | undefined;
  const ended = new Promise<void>((resolve) => {
    const end = (reason: string) => {
      endReason ??= reason;
      resolve();
    };
    child.once('exit', (code, signal) => end(`exited (${signal ?? `code ${code}`})`));
    child.once('error', (err) => end(err.message));
  });
  const pid = child.pid;
  // Last resort if the test process dies without calling stop(): no orphaned server.
  const killOnExit = () => {
    if (endReason === undefined && pid !== undefined) process.kill(pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (endReason === undefined && pid !== undefined) {
      process.kill(pid, 'SIGTERM');
      const stopped = await Promise.race([ended.then(() => true), sleep(options.stopTimeoutMs ?? 5_000).then(() => false)]);
      if (!stopped && endReason === undefined) {
        process.kill(pid, 'SIGKILL');
        await ended;
      }
    }
    if (ownStore) await rm(storeDir, { recursive: true, force: true });
  };
  const signal = (name: NodeJS.Signals) => {
    if (endReason === undefined && pid !== undefined) process.kill(pid, name);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  while (endReason === undefined && pid !== undefined) {
    if (await acceptsConnections(port)) return { url: `nats://127.0.0.1:${port}`, port, pid, stop, signal, ended };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nats-server ${args.join(' ')} did not accept connections within the timeout; stderr: ${stderr.trim()}`);
    }
    await sleep(50);
  }
  await ended;
  await stop();
  throw new Error(`nats-server ${args.join(' ')} ${endReason ?? 'has no pid'}; stderr: ${stderr.trim()}`);
};
