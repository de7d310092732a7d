// Passivation on the real services (a runner that drops a SKU 300 ms after its last command): idle
// SKUs come back from snapshot + journal with the right stock, the drop really happens (a marker planted
// in the snapshot shows through), and a SKU with an open hold is kept until the hold expires on time.
import { CommandId, EpochMillis, positionAt, type Sku, type SkuState } from '@larder/domain';
import { Either, HashMap } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainLocation, reserve, restock, sku } from './Support/Commands.js';
import { eventsOf, journalOf, replayedState } from './Support/JournalOf.js';
import { commandId, makeRunnerFixture, type RunnerFixture } from './Support/RunnerFixture.js';
import { rewriteSnapshotState, snapshotRowOf } from './Support/SnapshotRows.js';
import { withCommandId } from './Support/StockCommands.js';

let f: RunnerFixture;
beforeAll(async () => {
  f = await makeRunnerFixture();
  await f.startInProcess({ LARDER_PASSIVATE_AFTER_MS: '300', LARDER_SNAPSHOT_EVERY_MS: '100', LARDER_EXPIRY_TICK_MS: '50' });
});
afterAll(async () => f?.cleanup());

type Reply = Awaited<ReturnType<RunnerFixture['request']>>;
const outcomeOf = (r: Reply) => (Either.isRight(r) ? r.right : { _tag: r.left._tag });

/** Until the SKU's snapshot holds its last journal batch: from then on only open holds keep it in memory. */
const snapshotCaughtUp = (s: Sku) =>
  expect
    .poll(async () => ((await snapshotRowOf(f, s))?.seq ?? -1) === ((await journalOf(f, s)).at(-1)?.seq ?? 0), { timeout: 10_000 })
    .toBe(true);

/**
 * Not an assertion: idle time for the runner to drop what it can. Passivation needs 300 ms without a
 * command and a current snapshot (already waited for), checked every 50 ms; this is several times that.
 */
const idle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

/** A command id the decider will treat as already seen, if (and only if) it loads this state. */
const plantSeen = (id: CommandId) => (state: SkuState): SkuState => ({
  ...state,
  commands: { ...state.commands, current: HashMap.set(state.commands.current, id, EpochMillis.make(Date.now())) },
});

describe('idle SKUs', () => {
  it('answer from the state they reload after passivation: snapshot + journal', async () => {
    const skus = Array.from({ length: 20 }, (_, i) => ({ s: sku(`IDLE-${i}`), units: i + 1 }));
    const restocked = await Promise.all(skus.map(({ s, units }) => f.request(restock(s, units))));
    expect(restocked.map((r) => outcomeOf(r)._tag)).toEqual(skus.map(() => 'Accepted'));
    for (const { s } of skus) await snapshotCaughtUp(s);
    await idle();

    await Promise.all(
      skus.map(async ({ s, units }) => {
        expect(outcomeOf(await f.request(reserve(s, `all-of-${s}`, units)))).toMatchObject({
          _tag: 'Accepted',
          levels: { onHand: units, reserved: units, available: 0 },
        });
        expect(outcomeOf(await f.request(reserve(s, `one-more-${s}`, 1)))).toMatchObject({
          _tag: 'Rejected',
          rejection: { _tag: 'InsufficientStock' },
        });
      }),
    );
    // The async path reaches reloaded SKUs too.
    await Promise.all(skus.map(({ s }) => f.publish(restock(s, 2))));
    for (const { s, units } of skus) {
      await expect.poll(async () => positionAt(await replayedState(f, s), mainLocation), { timeout: 10_000 }).toMatchObject({
        onHand: units + 2,
        reserved: units,
      });
    }
  });

  it('are really dropped from memory, while a SKU with an open hold is kept', async () => {
    const idleSku = sku('PROBE-IDLE');
    const heldSku = sku('PROBE-HELD');
    await f.request(restock(idleSku, 5));
    await f.request(restock(heldSku, 5));
    expect(outcomeOf(await f.request(reserve(heldSku, 'probe-hold', 1, 60)))).toMatchObject({ _tag: 'Accepted' });
    await snapshotCaughtUp(idleSku);
    await snapshotCaughtUp(heldSku);
    // Plant a command id in each snapshot: only an actor that reloads it believes the command was seen.
    const idleMarker = commandId('marker');
    const heldMarker = commandId('marker');
    await rewriteSnapshotState(f, idleSku, plantSeen(idleMarker));
    await rewriteSnapshotState(f, heldSku, plantSeen(heldMarker));
    await idle();

    // Reloaded from the planted snapshot: a duplicate, nothing appended (seq null).
    expect(outcomeOf(await f.request(withCommandId(restock(idleSku, 1), idleMarker)))).toMatchObject({ _tag: 'Accepted', seq: null });
    expect(await eventsOf(f, idleSku)).toHaveLength(1);
    // Still in memory, never reloaded: the planted id means nothing to it, so the restock is applied.
    const held = outcomeOf(await f.request(withCommandId(restock(heldSku, 1), heldMarker)));
    expect(held).toMatchObject({ _tag: 'Accepted', levels: { onHand: 6, reserved: 1 } });
    expect(held._tag === 'Accepted' ? held.seq : null).toBeGreaterThan(0);
  });
});

describe('a SKU with an open hold', () => {
  it('is not lost while idle: the hold expires on its own, not before its expiresAt', async () => {
    const s = sku('HELD-IDLE-1');
    await f.request(restock(s, 3));
    const held = outcomeOf(await f.request(reserve(s, 'short-hold', 2, 2)));
    const expiresAt = held._tag === 'Accepted' ? held.reservation?.expiresAt : undefined;
    if (expiresAt === undefined) throw new Error(`the hold was not taken: ${JSON.stringify(held)}`);

    const expired = async () => (await eventsOf(f, s)).flatMap((e) => (e._tag === 'ReservationExpired' ? [e] : []));
    await expect.poll(async () => (await expired()).map((e) => e.reservationId), { timeout: 15_000 }).toEqual(['short-hold']);
    const [event] = await expired();
    expect(event?.at).toBeGreaterThanOrEqual(expiresAt);
    expect(positionAt(await replayedState(f, s), mainLocation)).toMatchObject({ onHand: 3, reserved: 0 });
    // And the units are free again.
    expect(outcomeOf(await f.request(reserve(s, 'after-expiry', 3)))).toMatchObject({ _tag: 'Accepted', levels: { available: 0 } });
  });
});
