// Postgres and Redis cut off under load (a TCP proxy in front of each resets every connection and
// refuses new ones): reservations go on, and once the service is back the snapshots, the ledger and
// the Redis mirror catch up with the journal. Nothing acknowledged is lost or oversold.
import { startTcpProxy, type RunningTcpProxy } from '@larder/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRedisStockView } from '../../src/Projection/RedisStockWriter.js';
import { expectExactlyOnce, startHoldLoad, stockUp } from '../Support/HoldLoad.js';
import { journalOf } from '../Support/JournalOf.js';
import { makeRunnerFixture, type RunnerFixture } from '../Support/RunnerFixture.js';
import { snapshotRowOf } from '../Support/SnapshotRows.js';
import type { Sku } from '@larder/domain';
import type { LarderProcess } from '@larder/testing';

let f: RunnerFixture;
let pgProxy: RunningTcpProxy;
let redisProxy: RunningTcpProxy;
let runner: LarderProcess;
let redis: Redis;

const setting = (name: string) => {
  const value = f.env[name];
  if (value === undefined) throw new Error(`the fixture has no ${name}`);
  return value;
};
/** The same URL with the proxy's port. */
const through = (url: string, proxy: RunningTcpProxy) => {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const UNITS = 400;

beforeAll(async () => {
  f = await makeRunnerFixture();
  const pgUrl = new URL(setting('DATABASE_URL'));
  const redisUrl = new URL(setting('REDIS_URL'));
  pgProxy = await startTcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
  redisProxy = await startTcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  redis = new Redis(setting('REDIS_URL'));
  runner = await f.startChild({
    DATABASE_URL: through(setting('DATABASE_URL'), pgProxy),
    REDIS_URL: through(setting('REDIS_URL'), redisProxy),
    LARDER_SNAPSHOT_EVERY_EVENTS: '20',
    LARDER_SNAPSHOT_EVERY_MS: '200',
  });
}, 60_000);
afterAll(async () => {
  await runner?.stop();
  await redis?.quit();
  await pgProxy?.stop();
  await redisProxy?.stop();
  await f?.cleanup();
});

const lastSeq = async (s: Sku) => (await journalOf(f, s)).at(-1)?.seq ?? 0;
const ledgerRows = async (s: Sku) => {
  const client = new pg.Client({ connectionString: setting('DATABASE_URL') });
  await client.connect();
  try {
    const result = await client.query(`select count(*)::int as n from "${setting('LARDER_DB_SCHEMA')}".ledger_entry where sku = $1`, [s]);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
};
const eventCount = async (s: Sku) => (await journalOf(f, s)).reduce((n, r) => n + r.events.length, 0);

describe('Postgres unavailable for 10 s', () => {
  it('holds go on; snapshots and the ledger catch up once it is back', async () => {
    const skus = await stockUp(f, 'JERKY-PG-OUT', 6, UNITS);
    const load = startHoldLoad(f, skus, 12, 'pg-out');
    await expect.poll(() => load.accepted(), { timeout: 20_000 }).toBeGreaterThan(50);

    pgProxy.cut();
    const atCut = load.accepted();
    await sleep(10_000);
    const duringOutage = load.accepted() - atCut;
    pgProxy.restore();
    const result = await load.stop();

    expect(duringOutage).toBeGreaterThan(50);
    await expectExactlyOnce(f, skus, result, UNITS);
    for (const s of skus) {
      const seq = await lastSeq(s);
      await expect.poll(async () => (await snapshotRowOf(f, s))?.seq, { timeout: 30_000 }).toBe(seq);
      const events = await eventCount(s);
      await expect.poll(() => ledgerRows(s), { timeout: 30_000 }).toBe(events);
    }
    console.info(`postgres outage: ${duringOutage} holds acknowledged during the 10 s without Postgres`);
  }, 120_000);
});

describe('Redis unavailable for 5 s', () => {
  it('holds go on; the Redis mirror catches up with the journal once it is back', async () => {
    const skus = await stockUp(f, 'JERKY-REDIS-OUT', 6, UNITS);
    const load = startHoldLoad(f, skus, 12, 'redis-out');
    await expect.poll(() => load.accepted(), { timeout: 20_000 }).toBeGreaterThan(50);

    redisProxy.cut();
    const atCut = load.accepted();
    await sleep(5_000);
    const duringOutage = load.accepted() - atCut;
    redisProxy.restore();
    const result = await load.stop();

    expect(duringOutage).toBeGreaterThan(50);
    await expectExactlyOnce(f, skus, result, UNITS);
    const prefix = setting('LARDER_REDIS_PREFIX');
    for (const s of skus) {
      const seq = await lastSeq(s);
      await expect.poll(async () => (await readRedisStockView(redis, prefix, s))?.view.seq, { timeout: 30_000 }).toBe(seq);
    }
  }, 120_000);
});
