// The auditor inside a real runner process (LARDER_AUDIT_EVERY_MS, LARDER_AUDIT_SAMPLE): it samples the
// SKUs of the shards it hosts and, for a KV view overwritten with a wrong value and a journal holding
// a hold beyond what was available, logs lines naming the SKU and the amount and moves the metrics.
import { Quantity, ReservationId, type Command } from '@larder/domain';
import { decodeStockView, encodeStockView } from '@larder/messaging';
import { freePort, type LarderProcess } from '@larder/testing';
import { Effect, Either } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openActorServices, type ActorServices } from '../Support/ActorServices.js';
import { reserve, restock, sku } from '../Support/Commands.js';
import { eventsOf } from '../Support/JournalOf.js';
import { makeRunnerFixture, type RunnerFixture } from '../Support/RunnerFixture.js';
import { scrape } from '../Observability/Fixtures/Scrape.js';
import { openAuditWorld, waitForProjections, type AuditWorld } from './Fixtures/AuditWorld.js';

let f: RunnerFixture;
let runner: LarderProcess;
let world: AuditWorld;
let services: ActorServices;
let metricsUrl: string;

beforeAll(async () => {
  f = await makeRunnerFixture();
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  runner = await f.startChild({
    LARDER_METRICS_PORT: String(port),
    LARDER_AUDIT_EVERY_MS: '200',
    LARDER_AUDIT_SAMPLE: '50',
    LARDER_SNAPSHOT_EVERY_MS: '100',
  });
  world = await openAuditWorld(f);
  services = await openActorServices(f);
});
afterAll(async () => {
  await world?.close();
  await services?.close();
  await f?.cleanup();
});

const applied = async (command: Command): Promise<number> => {
  const outcome = await f.request(command, 10_000);
  if (Either.isLeft(outcome) || outcome.right._tag !== 'Accepted' || outcome.right.seq === null) {
    throw new Error(`${command._tag} of ${command.sku} was not applied: ${JSON.stringify(outcome)}`);
  }
  return outcome.right.seq;
};

describe('a runner auditing the SKUs of its shards', () => {
  it('logs and counts drift in a KV view and oversell in a journal; honest SKUs stay quiet', async () => {
    const honest = sku('LOOP-HONEST-1');
    const drifted = sku('LOOP-KV-1');
    const oversold = sku('LOOP-OVERSOLD-1');
    for (const s of [honest, drifted, oversold]) {
      await applied(restock(s, 3));
      await waitForProjections(world.sources, s, await applied(reserve(s, `${s}-r1`, 2)));
    }

    // A KV view that says 40 units are free where the journal says 1.
    const entry = await world.kv.get(f.names.keys.stock(drifted));
    if (entry === null) throw new Error('no KV entry');
    await world.kv.put(f.names.keys.stock(drifted), encodeStockView({ ...Either.getOrThrow(decodeStockView(entry.value)), available: 40 }));

    // What a broken writer could append: a hold of 5 units when 1 was free (4 oversold).
    const events = await eventsOf(f, oversold);
    const hold = events.find((e) => e._tag === 'StockReserved');
    if (hold?._tag !== 'StockReserved') throw new Error('no hold in the journal');
    const last = (await Effect.runPromise(services.journal.read(oversold, 0))).at(-1)?.seq ?? 0;
    const forged = { ...hold, reservationId: ReservationId.make(`${oversold}-forged`), qty: Quantity.make(5) };
    await Effect.runPromise(services.journal.append(oversold, 1, [forged], last));

    await expect
      .poll(async () => (await scrape(metricsUrl)).value('larder_oversell_units'), { timeout: 20_000, interval: 200 })
      .toBe(4);
    await expect
      .poll(async () => (await scrape(metricsUrl)).value('larder_invariant_drift_total', { store: 'kv' }), { timeout: 20_000, interval: 200 })
      .toBeGreaterThanOrEqual(1);
    const now = await scrape(metricsUrl);
    expect(now.value('larder_audited_skus_total')).toBeGreaterThanOrEqual(3);
    expect(now.value('larder_invariant_drift_total', { store: 'redis' })).toBe(0);
    expect(now.value('larder_invariant_drift_total', { store: 'snapshot' })).toBe(0);
    expect(now.value('larder_audit_failures_total')).toBe(0);

    const log = runner.output();
    expect(log).toContain(`invariant drift: sku=${drifted} store=kv expected available=1 found=40`);
    expect(log).toContain(`oversell: sku=${oversold} units=4 in 1 hold(s): ${oversold}-forged took 5 with 1 available`);
    expect(log).not.toContain(`sku=${honest} `);
  });
});
