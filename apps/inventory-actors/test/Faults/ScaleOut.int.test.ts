// Shard ownership under real faults, with real runner processes: three runners share the shards under
// load, one is SIGKILLed and its shards are taken over, a fourth joins and gets its share; a runner
// paused past its lease (SIGSTOP) is fenced when it wakes. Nothing acknowledged is lost or oversold.
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { expectExactlyOnce, runnerIdOf, startHoldLoad, stockUp } from '../Support/HoldLoad.js';
import { leaseHolders } from '../Support/LeaseHolders.js';
import { makeRunnerFixture, SHARDS, type RunnerFixture } from '../Support/RunnerFixture.js';

let f: RunnerFixture;
beforeAll(async () => {
  f = await makeRunnerFixture();
});
afterAll(async () => f?.cleanup());

/** What a runner said about its shards: enough to explain a failed ownership assertion. */
const ownershipLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => /fair share|shard \d+:|lease|runner ready|waiting for/.test(line))
    .slice(-40)
    .join('\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Small stock per SKU: the load sells SKUs out within seconds even on a busy machine.
const UNITS = 40;


describe('three runners under load', () => {
  it('SIGKILL one, then add one: its shards are taken over, the new one gets a share, every acknowledged hold is kept once', async () => {
    const env = { LARDER_SHARDS: String(SHARDS) };
    const [a, b, c] = [await f.startChild(env), await f.startChild(env), await f.startChild(env)];
    onTestFailed(() => [a, b, c].forEach((p, i) => console.error(`runner ${i}:\n${ownershipLines(p.output())}`)));
    // A failed assertion must not leave runners serving the next test's shards.
    onTestFinished(() => Promise.all([a, b, c].map((p) => p.kill('SIGKILL'))).then(() => undefined));
    const ids = [a, b, c].map((p) => runnerIdOf(p.output()));
    await expect.poll(async () => new Set((await leaseHolders(f)).values()).size, { timeout: 15_000 }).toBe(3);

    const skus = await stockUp(f, 'JERKY-SCALE', 16, UNITS);
    const load = startHoldLoad(f, skus, 24, 'scale');
    await expect.poll(() => load.accepted(), { timeout: 30_000 }).toBeGreaterThan(100);

    const killedAt = Date.now();
    await b.kill('SIGKILL');
    const before = load.accepted();
    // Its shards are freed by the survivors (its connection is gone: CrashedPeer.int.test.ts) and taken.
    await expect.poll(async () => [...(await leaseHolders(f)).values()].includes(ids[1] ?? ''), { timeout: 15_000 }).toBe(false);
    await expect.poll(async () => (await leaseHolders(f)).size, { timeout: 15_000 }).toBe(SHARDS);
    const takeoverMs = Date.now() - killedAt;
    await expect.poll(() => load.accepted(), { timeout: 30_000 }).toBeGreaterThan(before + 50);

    const d = await f.startChild(env);
    onTestFinished(() => d.kill('SIGKILL'));
    const newcomer = runnerIdOf(d.output());
    expect([...(await leaseHolders(f)).values()]).toContain(newcomer);
    // Run until some SKUs sell out, so refusals are part of what is checked.
    await expect.poll(() => load.refused(), { timeout: 60_000 }).toBeGreaterThan(0);
    const result = await load.stop();

    const holders = await leaseHolders(f);
    expect(holders.size).toBe(SHARDS);
    expect(new Set(holders.values())).toEqual(new Set([ids[0], ids[2], newcomer]));
    await expectExactlyOnce(f, skus, result, UNITS);
    console.info(`scale-out: ${result.accepted.size} holds acknowledged, ${result.retries} retries, shards free again ${takeoverMs} ms after SIGKILL`);
    await Promise.all([a, c, d].map((p) => p.stop()));
  }, 300_000);
});

describe('a runner paused past its lease', () => {
  it('is fenced when it wakes: it stops deciding, its successor’s epoch wins, nothing is lost or oversold', async () => {
    const zombie = await f.startChild();
    onTestFailed(() => console.error(`zombie:\n${ownershipLines(zombie.output())}`));
    // SIGKILL ends a stopped process too; the test's own SIGCONT may or may not have run.
    onTestFinished(() => zombie.kill('SIGKILL'));
    const skus = await stockUp(f, 'JERKY-ZOMBIE', 8, UNITS);
    const load = startHoldLoad(f, skus, 16, 'zombie');
    await expect.poll(() => load.accepted(), { timeout: 30_000 }).toBeGreaterThan(50);

    process.kill(zombie.pid, 'SIGSTOP');
    const successor = await f.startChild();
    onTestFinished(() => successor.kill('SIGKILL'));
    const successorId = runnerIdOf(successor.output());
    expect(new Set((await leaseHolders(f)).values())).toEqual(new Set([successorId]));
    // Requests the server still routes to the paused runner time out and are retried: slow, not stuck.
    const before = load.accepted();
    await expect.poll(() => load.accepted(), { timeout: 60_000 }).toBeGreaterThan(before + 50);

    process.kill(zombie.pid, 'SIGCONT');
    await expect.poll(() => zombie.output(), { timeout: 15_000 }).toContain('lease lost');
    await sleep(1_500);
    const result = await load.stop();
    await expectExactlyOnce(f, skus, result, UNITS);
    await Promise.all([zombie.stop(), successor.stop()]);
  }, 300_000);
});
