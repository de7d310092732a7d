// Crashes with real processes: a runner is SIGKILLed in the middle of a burst and started again.
// Every acknowledged hold is in the journal exactly once, nothing is oversold, retries of the
// unanswered commands have one effect at most, and holds open at the crash expire on time.
import { positionAt, type Event } from '@larder/domain';
import { Either } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainLocation, reserve, restock, sku } from './Support/Commands.js';
import { eventsOf, replayedState } from './Support/JournalOf.js';
import { makeRunnerFixture, type RunnerFixture } from './Support/RunnerFixture.js';

let f: RunnerFixture;
beforeAll(async () => {
  f = await makeRunnerFixture();
});
afterAll(async () => f?.cleanup());

const reservedIds = (events: ReadonlyArray<Event>) => events.flatMap((e) => (e._tag === 'StockReserved' ? [e.reservationId] : []));

describe('SIGKILL in the middle of a burst', () => {
  it('keeps every acknowledged hold exactly once and oversells nothing', async () => {
    const s = sku('JERKY-CRASH-1');
    const first = await f.startChild();
    expect(Either.isRight(await f.request(restock(s, 3_000)))).toBe(true);

    const commands = Array.from({ length: 3_000 }, (_, i) => reserve(s, `crash-${i}`));
    let answered = 0;
    // Waves of 50 holds every 10 ms; the runner dies once 200 are answered, mid-burst. Deadlines are
    // generous: on a machine busy with other test files the owner answers late, not wrongly.
    const inFlight = commands.map((c, i) =>
      new Promise<void>((r) => setTimeout(r, Math.floor(i / 50) * 10))
        .then(() => f.request(c, 15_000))
        .then((r) => {
          if (Either.isRight(r) && r.right._tag === 'Accepted') answered++;
          return r;
        }),
    );
    await expect.poll(() => answered, { timeout: 60_000, interval: 5 }).toBeGreaterThanOrEqual(200);
    await first.kill('SIGKILL');
    const results = await Promise.all(inFlight);
    const acknowledged = commands.filter((_, i) => {
      const r = results[i];
      return r !== undefined && Either.isRight(r) && r.right._tag === 'Accepted';
    });
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);
    // Stock covers every hold, so only the crash can leave one unanswered: it really was mid-burst.
    expect(acknowledged.length).toBeLessThan(commands.length);

    const second = await f.startChild();
    // Retry everything that got no answer, with the same command ids.
    const unanswered = commands.filter((_, i) => {
      const r = results[i];
      return r === undefined || Either.isLeft(r) || r.right._tag === 'Retry';
    });
    await Promise.all(unanswered.map((c) => f.request(c, 20_000)));

    const ids = reservedIds(await eventsOf(f, s));
    expect(new Set(ids).size).toBe(ids.length); // no hold applied twice
    for (const c of acknowledged) if (c._tag === 'ReserveStock') expect(ids).toContain(c.reservationId);
    const position = positionAt(await replayedState(f, s), mainLocation);
    expect(position.reserved).toBe(ids.length);
    expect(position.reserved).toBeLessThanOrEqual(position.onHand);
    expect(position.onHand).toBe(3_000);
    await second.kill('SIGTERM');
  }, 180_000);

  it('expires holds that were open at the crash within a second of expiresAt after the restart', async () => {
    const s = sku('JERKY-CRASH-2');
    const runner = await f.startChild();
    await f.request(restock(s, 10));
    const held = await Promise.all([0, 1, 2].map((i) => f.request(reserve(s, `exp-${i}`, 2, 8))));
    const expiresAt = held.map((r) => (Either.isRight(r) && r.right._tag === 'Accepted' ? r.right.reservation?.expiresAt : undefined));
    expect(expiresAt.every((e) => e !== undefined)).toBe(true);
    await runner.kill('SIGKILL');
    const restarted = await f.startChild();
    // On a loaded machine the restart may come after they were due: then "on time" means at once.
    const readyAt = Date.now();
    const latest = Math.max(...expiresAt.map((e) => e ?? 0));
    await new Promise((r) => setTimeout(r, Math.max(0, latest - Date.now()) + 1_500));
    const expired = (await eventsOf(f, s)).flatMap((e) => (e._tag === 'ReservationExpired' ? [e] : []));
    expect(expired.map((e) => e.reservationId).sort()).toEqual(['exp-0', 'exp-1', 'exp-2']);
    for (const e of expired) {
      const due = expiresAt[Number(e.reservationId.slice(4))] ?? 0;
      expect(e.at - Math.max(due, readyAt)).toBeLessThan(1_000);
      expect(e.at).toBeGreaterThanOrEqual(due);
    }
    expect(positionAt(await replayedState(f, s), mainLocation)).toMatchObject({ onHand: 10, reserved: 0 });
    await restarted.kill('SIGTERM');
  }, 60_000);
});
