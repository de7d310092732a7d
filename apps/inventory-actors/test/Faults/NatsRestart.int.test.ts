// nats-server restarted under load (a private server on a fixed port and store dir, stopped with
// SIGTERM and started again): the runner reconnects, takes its leases back, and goes on; every
// acknowledged hold is in the journal once and nothing is oversold.
import { freePort, startNatsServer, type RunningNatsServer } from '@larder/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactlyOnce, runnerIdOf, startHoldLoad, stockUp } from '../Support/HoldLoad.js';
import { leaseHolders } from '../Support/LeaseHolders.js';
import { makeRunnerFixture, type RunnerFixture } from '../Support/RunnerFixture.js';

let f: RunnerFixture;
let server: RunningNatsServer;
let storeDir: string;
let port: number;
const start = () => startNatsServer({ jetstream: true, port, storeDir });

beforeAll(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'larder-nats-restart-'));
  port = await freePort();
  server = await start();
  f = await makeRunnerFixture({ natsUrl: server.url });
}, 60_000);
afterAll(async () => {
  await f?.cleanup();
  await server?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

const UNITS = 400;

describe('nats-server restarted under load', () => {
  it('the runner reconnects and goes on; nothing acknowledged is lost, nothing oversold', async () => {
    const runner = await f.startChild();
    const skus = await stockUp(f, 'JERKY-NATS-RESTART', 6, UNITS);
    const load = startHoldLoad(f, skus, 12, 'nats-restart');
    await expect.poll(() => load.accepted(), { timeout: 20_000 }).toBeGreaterThan(100);

    await server.stop();
    const atStop = load.accepted();
    server = await start();
    await expect.poll(() => load.accepted(), { timeout: 60_000 }).toBeGreaterThan(atStop + 100);
    const result = await load.stop();

    await expectExactlyOnce(f, skus, result, UNITS);
    // It holds every shard again (its old leases, or new ones if they expired while the server was down).
    const holders = await leaseHolders(f);
    expect(holders.size).toBe(f.names.allShards.length);
    expect(new Set(holders.values())).toEqual(new Set([runnerIdOf(runner.output())]));
    await runner.stop();
  }, 150_000);
});
