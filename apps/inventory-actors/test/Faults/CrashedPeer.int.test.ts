// A crashed runner's shards are taken over at once, not after its leases' TTL: nats-server drops a
// dead process's subscriptions when its socket closes, so a ping on its control subject finds no
// responders and its peers free its leases (ADR 0010, "Crashed owners"). A paused runner keeps its
// connection: it is never taken for dead, and keeps its shards. The lease TTL here is a minute, so
// anything that happens within it was done by the probe, not by expiry.
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { expectExactlyOnce, runnerIdOf, startHoldLoad, stockUp } from '../Support/HoldLoad.js';
import { leaseHolders } from '../Support/LeaseHolders.js';
import { makeRunnerFixture, SHARDS, type RunnerFixture } from '../Support/RunnerFixture.js';

const LeaseTtlMs = 60_000;
const env = { LARDER_LEASE_TTL_MS: String(LeaseTtlMs) };
const UNITS = 40;

let f: RunnerFixture;
beforeAll(async () => {
  f = await makeRunnerFixture();
});
afterAll(async () => f?.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const holdersOf = async () => [...(await leaseHolders(f)).values()];

/** Two runner processes with the long TTL, killed when the test ends, their output shown if it fails. */
const startPair = async () => {
  const a = await f.startChild(env);
  const b = await f.startChild(env);
  onTestFailed(() => [a, b].forEach((p, i) => console.error(`runner ${i}:\n${p.output().slice(-4_000)}`)));
  onTestFinished(() => Promise.all([a, b].map((p) => p.kill('SIGKILL'))).then(() => undefined));
  return { a, b, idA: runnerIdOf(a.output()), idB: runnerIdOf(b.output()) };
};

describe('a peer that crashed or paused, with a one-minute lease TTL', () => {
  it('SIGKILL: the survivor frees and takes the dead runner’s shards long before its leases expire; every acknowledged hold is kept once', async () => {
    const { a, b, idA, idB } = await startPair();
    // The fair split: both hold shards (the newcomer's share is handed over after a few rounds).
    await expect.poll(async () => new Set(await holdersOf()), { timeout: 30_000 }).toEqual(new Set([idA, idB]));

    const skus = await stockUp(f, 'JERKY-CRASH', 8, UNITS);
    const load = startHoldLoad(f, skus, 16, 'crash');
    await expect.poll(() => load.accepted(), { timeout: 30_000 }).toBeGreaterThan(50);

    const killedAt = Date.now();
    await b.kill('SIGKILL');
    await expect.poll(() => a.output(), { timeout: 20_000 }).toContain(`runner ${idB} looks crashed`);
    await expect.poll(async () => (await holdersOf()).filter((r) => r === idA).length, { timeout: 20_000 }).toBe(SHARDS);
    const takenAfterMs = Date.now() - killedAt;
    // Not by expiry: the dead runner's leases had most of their minute left.
    expect(takenAfterMs).toBeLessThan(LeaseTtlMs / 2);
    const before = load.accepted();
    await expect.poll(() => load.accepted(), { timeout: 30_000 }).toBeGreaterThan(before + 50);
    const result = await load.stop();
    await expectExactlyOnce(f, skus, result, UNITS);
    console.info(`crashed peer: all ${SHARDS} shards held by the survivor ${takenAfterMs} ms after SIGKILL (lease TTL ${LeaseTtlMs} ms); ${result.accepted.size} holds acknowledged`);
    await a.stop();
  }, 240_000);

  it('SIGSTOP: a paused runner still has its connection: it is not taken for dead and keeps its shards', async () => {
    const { a, b, idA, idB } = await startPair();
    await expect.poll(async () => new Set(await holdersOf()), { timeout: 60_000 }).toEqual(new Set([idA, idB]));
    const pausedShards = (await holdersOf()).filter((r) => r === idB).length;

    process.kill(b.pid, 'SIGSTOP');
    // Many balancing rounds of the other runner (every 500 ms), each probing the paused one.
    await sleep(5_000);
    expect(a.output()).not.toContain(`runner ${idB} looks crashed`);
    expect((await holdersOf()).filter((r) => r === idB).length).toBe(pausedShards);

    process.kill(b.pid, 'SIGCONT');
    await stockUp(f, 'JERKY-PAUSED', 1, UNITS);
    await sleep(1_000);
    expect(b.output()).not.toContain('lease lost');
    expect((await holdersOf()).filter((r) => r === idB).length).toBe(pausedShards);
    await Promise.all([a.stop(), b.stop()]);
  }, 240_000);
});
