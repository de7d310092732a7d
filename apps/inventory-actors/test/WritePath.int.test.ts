// The write path end to end on the real NATS, Postgres and Redis: a runner in this process, the
// request-path client the API uses, and async commands through INV_CMD. Zero oversell, one order
// of application, shortfalls recorded, retries without second effects.
import { positionAt } from '@larder/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Either } from 'effect';
import { commit, mainLocation, recordSale, reserve, restock, sku } from './Support/Commands.js';
import { eventsOf, journalOf, replayedState } from './Support/JournalOf.js';
import { makeRunnerFixture, type RunnerFixture } from './Support/RunnerFixture.js';

let f: RunnerFixture;
beforeAll(async () => {
  f = await makeRunnerFixture();
  await f.startInProcess();
});
afterAll(async () => f?.cleanup());

const accepted = (r: Awaited<ReturnType<RunnerFixture['request']>>) => Either.isRight(r) && r.right._tag === 'Accepted';

describe('a hot SKU under concurrent holds', () => {
  it('holds exactly the available units, never more', async () => {
    const s = sku('JERKY-HOT-1');
    expect(accepted(await f.request(restock(s, 500)))).toBe(true);
    const results = await Promise.all(Array.from({ length: 2_000 }, (_, i) => f.request(reserve(s, `hot-${i}`), 30_000)));
    const outcomes = results.map((r) => (Either.isRight(r) ? r.right._tag : r.left._tag));
    expect(outcomes.filter((o) => o === 'Accepted')).toHaveLength(500);
    expect(outcomes.filter((o) => o === 'Rejected')).toHaveLength(1_500);
    const state = await replayedState(f, s);
    expect(positionAt(state, mainLocation)).toMatchObject({ onHand: 500, reserved: 500 });
    // Group commit: far fewer journal messages than holds.
    const records = await journalOf(f, s);
    expect(records.length).toBeLessThan(500);
  });
});

describe('orders reported through INV_CMD while holds arrive', () => {
  it('applies both paths in one order and records the shortfall', async () => {
    const s = sku('JERKY-MIXED-1');
    expect(accepted(await f.request(restock(s, 100)))).toBe(true);
    const holds = Array.from({ length: 100 }, (_, i) => f.request(reserve(s, `mix-${i}`), 30_000));
    await Promise.all(Array.from({ length: 50 }, (_, i) => f.publish(recordSale(s, `order-${i}`))));
    const held = (await Promise.all(holds)).filter(accepted).length;
    // Wait until every async order is applied.
    await expect.poll(async () => (await eventsOf(f, s)).filter((e) => e._tag === 'SaleRecorded').length, { timeout: 15_000 }).toBe(50);
    const events = await eventsOf(f, s);
    const shortfall = events.flatMap((e) => (e._tag === 'ShortfallRecorded' ? [e.shortfall] : [])).reduce((a, b) => a + b, 0);
    const state = await replayedState(f, s);
    const position = positionAt(state, mainLocation);
    expect(position.onHand).toBe(100 - 50);
    expect(position.reserved).toBe(held);
    expect(held).toBeLessThanOrEqual(100);
    // Every unit sold beyond the unheld stock is a recorded shortfall, never hidden.
    expect(shortfall).toBe(Math.max(0, held - position.onHand));
  });
});

describe('retries', () => {
  it('a command id seen before has no second effect and gets the same answer', async () => {
    const s = sku('JERKY-RETRY-1');
    await f.request(restock(s, 10));
    const first = reserve(s, 'retry-1', 3);
    const a = await f.request(first);
    const b = await f.request(first);
    expect(accepted(a) && accepted(b)).toBe(true);
    if (Either.isRight(a) && Either.isRight(b) && a.right._tag === 'Accepted' && b.right._tag === 'Accepted') {
      expect(b.right.reservation).toEqual(a.right.reservation);
      expect(b.right.seq).toBeNull();
    }
    const c = await f.request(commit(s, 'retry-1'));
    expect(accepted(c)).toBe(true);
    expect(positionAt(await replayedState(f, s), mainLocation)).toMatchObject({ onHand: 7, reserved: 0 });
  });

  it('an async command published twice with the same id is stored once and applied once', async () => {
    const s = sku('JERKY-RETRY-2');
    const command = restock(s, 5);
    await f.publish(command);
    await f.publish(command);
    await expect.poll(async () => (await eventsOf(f, s)).length, { timeout: 10_000 }).toBe(1);
  });
});
