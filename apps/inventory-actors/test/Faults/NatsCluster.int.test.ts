// A three-node JetStream cluster on loopback, streams and buckets with 3 replicas: the journal's
// stream leader is SIGKILLed under load; after the election Larder keeps accepting holds, and every
// hold it acknowledged is in the journal exactly once, with nothing oversold.
import { startNatsCluster, type RunningNatsCluster } from '@larder/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactlyOnce, startHoldLoad, stockUp } from '../Support/HoldLoad.js';
import { makeRunnerFixture, type RunnerFixture } from '../Support/RunnerFixture.js';

let cluster: RunningNatsCluster;
let f: RunnerFixture;

beforeAll(async () => {
  cluster = await startNatsCluster(3);
  f = await makeRunnerFixture({ natsUrl: cluster.urls });
}, 60_000);
afterAll(async () => {
  await f?.cleanup();
  await cluster?.stop();
});

const UNITS = 400;

describe('a three-node cluster losing the journal’s stream leader', () => {
  it('elects a new leader; Larder keeps accepting holds and loses nothing acknowledged', async () => {
    const runner = await f.startChild({ LARDER_REPLICAS: '3' }, 90_000);
    const journal = await f.jsm.streams.info(f.names.journal.stream);
    expect(journal.config.num_replicas).toBe(3);

    const skus = await stockUp(f, 'JERKY-CLUSTER', 6, UNITS);
    const load = startHoldLoad(f, skus, 12, 'cluster');
    await expect.poll(() => load.accepted(), { timeout: 30_000 }).toBeGreaterThan(100);

    const leaderName = (await f.jsm.streams.info(f.names.journal.stream)).cluster?.leader;
    const leader = cluster.nodes.find((n) => n.name === leaderName);
    if (leader === undefined) throw new Error(`no node named ${String(leaderName)} leads ${f.names.journal.stream}`);
    leader.server()?.signal('SIGKILL');
    const atKill = load.accepted();

    await expect.poll(() => load.accepted(), { timeout: 60_000 }).toBeGreaterThan(atKill + 100);
    const newLeader = (await f.jsm.streams.info(f.names.journal.stream)).cluster?.leader;
    expect(newLeader).toBeDefined();
    expect(newLeader).not.toBe(leaderName);
    const result = await load.stop();
    await expectExactlyOnce(f, skus, result, UNITS);
    console.info(`cluster: leader ${leaderName} killed, ${newLeader} elected; ${result.accepted.size} holds acknowledged, ${result.retries} retries`);
    await runner.stop();
  }, 180_000);
});
