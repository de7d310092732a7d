// Fault helpers for the runners' Redis mirror: a private redis-server child process on a fixed port
// (killed and restarted in place, stopped by its own pid only) and a reader of one SKU's mirrored hash.
import { spawn } from 'node:child_process';
import { probeTcp } from '@larder/testing';
import { Redis } from 'ioredis';
import type { StockBody } from '../Support/Bodies.js';

export interface PrivateRedis {
  readonly pid: number;
  readonly url: string;
  /** Sends `signal` to this pid and waits for the exit (SIGKILL after 5 s if it is still there). */
  readonly kill: (signal: NodeJS.Signals) => Promise<void>;
  readonly running: () => boolean;
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** An empty redis-server on 127.0.0.1:`port`, no persistence; resolves once it takes connections. */
export const startPrivateRedis = async (port: number): Promise<PrivateRedis> => {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('redis-server did not start (is it on PATH?)');
  let alive = true;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => (alive = false));
  // A test that dies must not leave its Redis behind.
  const killOnExit = () => alive && process.kill(pid, 'SIGKILL');
  process.once('exit', killOnExit);
  const kill = async (signal: NodeJS.Signals) => {
    process.removeListener('exit', killOnExit);
    if (!alive) return;
    process.kill(pid, signal);
    const gone = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!gone && alive) {
      process.kill(pid, 'SIGKILL');
      await exited;
    }
  };
  for (const deadline = Date.now() + 10_000; ; await sleep(25)) {
    const up = await probeTcp('127.0.0.1', port, 200).then(() => true, () => false);
    if (up) return { pid, url: `redis://127.0.0.1:${port}`, kill, running: () => alive };
    if (!alive || Date.now() > deadline) {
      await kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not accept connections`);
    }
  }
};

/** A short-lived client that fails at once when Redis is down (no reconnects, no queue). */
export const withRedis = async <A>(url: string, work: (redis: Redis) => Promise<A>): Promise<A> => {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
};

/** The scalars of `<prefix>stock:<sku>` as the runner's RedisStockWriter writes them; undefined when absent. */
export interface MirroredStock {
  readonly seq: number;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
}

export const readMirror = (url: string, prefix: string, sku: string): Promise<MirroredStock | undefined> =>
  withRedis(url, async (redis) => {
    const hash = await redis.hgetall(`${prefix}stock:${sku}`);
    if (Object.keys(hash).length === 0) return undefined;
    return { seq: Number(hash['seq']), onHand: Number(hash['onHand']), reserved: Number(hash['reserved']), available: Number(hash['available']) };
  });

/** The mirror as the API's view (KV) says it should be: same sequence and levels. */
export const mirrorOf = (view: StockBody): MirroredStock => ({ seq: view.version, onHand: view.onHand, reserved: view.reserved, available: view.available });

/** Polls `probe` (errors count as "not yet") until `done` holds; returns that value or throws with the last one. */
export const pollUntil = async <A>(what: string, probe: () => Promise<A>, done: (value: A) => boolean, timeoutMs: number, everyMs = 100): Promise<A> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await sleep(everyMs);
  }
};
