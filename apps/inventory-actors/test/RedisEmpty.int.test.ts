// A runner's Redis losing its data while nothing writes the SKUs it mirrored: killed and restarted empty
// (the runner reconnects and writes every SKU in memory again), or flushed under a live connection (the
// auditor finds the keys missing and writes them back). Redis is a private redis-server of this file.
import type { Command, Sku } from '@larder/domain';
import { Kvm } from '@nats-io/kv';
import { freePort, startRedisServer, type RedisServerProcess } from '@larder/testing';
import { Either, Option } from 'effect';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKvStockView } from '../src/Projection/KvStockWriter.js';
import { readRedisStockView } from '../src/Projection/RedisStockWriter.js';
import { redisClient } from './Projection/Fixtures/ProjectionServices.js';
import { reserve, restock, sku } from './Support/Commands.js';
import { makeRunnerFixture, type RunnerFixture } from './Support/RunnerFixture.js';
import { snapshotRowOf } from './Support/SnapshotRows.js';

let f: RunnerFixture;
let port: number;
let server: RedisServerProcess;
let redis: Redis;
let runnerEnv: Record<string, string>;
beforeAll(async () => {
  f = await makeRunnerFixture();
  port = await freePort();
  server = await startRedisServer(port);
  redis = redisClient(server.url, 50);
  await redis.connect();
  runnerEnv = { REDIS_URL: server.url, LARDER_SNAPSHOT_EVERY_MS: '100' };
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  await f?.cleanup();
});

const prefix = () => f.env['LARDER_REDIS_PREFIX'] ?? '';

const applied = async (command: Command): Promise<number> => {
  const outcome = await f.request(command, 10_000);
  if (Either.isLeft(outcome) || outcome.right._tag !== 'Accepted' || outcome.right.seq === null) {
    throw new Error(`${command._tag} of ${command.sku} was not applied: ${JSON.stringify(outcome)}`);
  }
  return outcome.right.seq;
};

/** The mirrored view of `s`, or undefined (none, or Redis not answering: it is being restarted). */
const mirrorOf = async (s: Sku) => (await readRedisStockView(redis, prefix(), s).catch(() => undefined))?.view;

/** Waits until the mirror of `s` is the view KV `stock` holds at `seq` (the same fold, so equal in every field). */
const mirroredAt = async (s: Sku, seq: number, timeout: number) => {
  const kv = await new Kvm(f.nc).open(f.names.buckets.stock);
  await expect.poll(async () => Option.getOrUndefined((await readKvStockView(kv, f.names, s)).view)?.seq, { timeout: 10_000 }).toBe(seq);
  const expected = Option.getOrThrow((await readKvStockView(kv, f.names, s)).view);
  await expect.poll(() => mirrorOf(s), { timeout, interval: 100 }).toStrictEqual(expected);
};

describe('given the runner\'s Redis is killed and restarted empty on the same port', () => {
  it('writes the mirror of every SKU in memory again, one loaded from its snapshot alone included', async () => {
    // The auditor is off: only the reconnection can bring the mirror back here.
    const env = { ...runnerEnv, LARDER_AUDIT_EVERY_MS: '0' };
    const held = sku('EMPTY-HELD-1');
    const first = await f.startChild(env);
    await applied(restock(held, 10));
    const heldSeq = await applied(reserve(held, `${held}-r1`, 2));
    // A drain saves every snapshot: the next runner loads `held` (it has an open hold) from it alone.
    await first.kill('SIGTERM');
    expect((await snapshotRowOf(f, held))?.seq).toBe(heldSeq);

    // At debug, the runner says when it has activated a shard's SKUs on takeover.
    const second = await f.startChild({ ...env, LOG_LEVEL: 'debug' });
    await expect.poll(() => second.output(), { timeout: 15_000 }).toContain('on takeover');
    const touched = sku('EMPTY-TOUCHED-1');
    const touchedSeq = await applied(restock(touched, 5));
    await mirroredAt(held, heldSeq, 10_000);
    await mirroredAt(touched, touchedSeq, 10_000);

    await server.kill();
    server = await startRedisServer(port);
    // No command reaches either SKU from here on.
    await mirroredAt(held, heldSeq, 15_000);
    await mirroredAt(touched, touchedSeq, 15_000);
    // Its log reaches this process through a pipe, maybe after the writes it announces.
    await expect.poll(() => second.output(), { timeout: 5_000 }).toContain('Redis mirror reconnected (it may have restarted empty)');
    await second.kill('SIGTERM');
  }, 90_000);
});

describe('given the runner\'s Redis is flushed while it stays connected', () => {
  it('the auditor writes the missing mirror keys back from the journal and says so', async () => {
    const runner = await f.startChild({ ...runnerEnv, LARDER_AUDIT_EVERY_MS: '300', LARDER_AUDIT_SAMPLE: '100' });
    const s = sku('FLUSHED-1');
    const seq = await applied(restock(s, 7));
    await mirroredAt(s, seq, 10_000);

    await redis.flushall();
    await mirroredAt(s, seq, 15_000);
    // Logged after the write: it may reach this process after the key is back.
    await expect
      .poll(() => runner.output(), { timeout: 5_000 })
      .toContain(`repaired a missing Redis mirror key: sku=${s} written at seq ${seq} from the journal`);
    // Not a reconnection, and a missing key is not drift.
    expect(runner.output()).not.toContain('Redis mirror reconnected');
    expect(runner.output()).not.toContain('invariant drift');
    await runner.kill('SIGTERM');
  }, 60_000);
});
