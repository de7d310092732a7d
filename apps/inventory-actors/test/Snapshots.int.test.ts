// Snapshots on the real services: state = snapshot + the journal after it, exactly what a full replay
// gives (for a snapshot a runner took mid-run and for the one saved at shutdown); a save never moves a
// snapshot backwards; and a restarted runner goes on from the right stock.
import { available, decide, evolve, initialState, positionAt, type Command, type CommandId, type Event, type Sku, type SkuState } from '@larder/domain';
import { Effect, Either, Option } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSku } from '../src/Actor/LoadSku.js';
import { Journal } from '../src/Journal/Journal.js';
import { SnapshotStore, type StoredSnapshot } from '../src/Snapshot/SnapshotStore.js';
import { openActorServices, type ActorServices } from './Support/ActorServices.js';
import { canonicalState } from './Support/CanonicalState.js';
import { commit, mainLocation, recordSale, reserve, restock, sku } from './Support/Commands.js';
import { journalOf, replayedState } from './Support/JournalOf.js';
import { makeRunnerFixture, type RunnerFixture } from './Support/RunnerFixture.js';
import { snapshotRowOf, type SnapshotRow } from './Support/SnapshotRows.js';
import { adjust, extend, receiveReturn, release, setSafetyStock } from './Support/StockCommands.js';

const snapshotSettings = { LARDER_SNAPSHOT_EVERY_EVENTS: '5', LARDER_SNAPSHOT_EVERY_MS: '200' };
const s = sku('JERKY-SNAP-1');

let f: RunnerFixture;
let services: ActorServices;
/** The first snapshot seen while commands were still arriving: behind the journal's end. */
let midRun: SnapshotRow;

beforeAll(async () => {
  f = await makeRunnerFixture();
});
afterAll(async () => {
  await services?.close();
  await f?.cleanup();
});

type Step = { readonly command: Command; readonly path: 'request' | 'publish' };
/** 25 mixed commands on both paths: holds, commits, releases, extensions, sales, adjustments. */
const mixedCommands = (round: number): ReadonlyArray<Step> =>
  Array.from({ length: 5 }, (_, i): ReadonlyArray<Step> => {
    const id = `r${round}-${i}`;
    return [
      { command: reserve(s, id, 2), path: 'request' },
      { command: i % 2 === 0 ? commit(s, id) : release(s, id), path: 'request' },
      { command: reserve(s, `${id}-held`, 1), path: 'request' },
      { command: extend(s, `${id}-held`, 900), path: 'request' },
      { command: i % 2 === 0 ? recordSale(s, `order-${id}`) : adjust(s, -1), path: 'publish' },
    ];
  }).flat();

const lastSeq = async (sku: Sku) => (await journalOf(f, sku)).at(-1)?.seq ?? 0;
/**
 * `loadSku` as an activating actor runs it, with the snapshot store given; also where it began to read
 * the journal (a snapshot that does not decode is skipped silently, and the read would start at 0).
 */
const load = async (sku: Sku, snapshots: SnapshotStore['Type']) => {
  const readFrom: Array<number> = [];
  const journal: Journal['Type'] = {
    ...services.journal,
    read: (target, afterSeq) =>
      Effect.suspend(() => {
        readFrom.push(afterSeq);
        return services.journal.read(target, afterSeq);
      }),
  };
  const loaded = await Effect.runPromise(
    loadSku(sku).pipe(Effect.provideService(Journal, journal), Effect.provideService(SnapshotStore, snapshots)),
  );
  return { ...loaded, readFrom };
};
/** A snapshot store that serves one chosen snapshot and stores nothing. */
const serving = (snapshot: StoredSnapshot): SnapshotStore['Type'] => ({
  ...services.snapshots,
  load: () => Effect.succeed(Option.some(snapshot)),
  save: () => Effect.succeed(false),
});
/** Decides commands in order against a state, as an actor's batch does; the events to append. */
const decideAll = (state: SkuState, commands: ReadonlyArray<Command>): ReadonlyArray<Event> => {
  const events: Array<Event> = [];
  for (const command of commands) {
    const decision = decide(command, state);
    if (Either.isLeft(decision)) throw new Error(`${command._tag} was refused: ${decision.left._tag}`);
    for (const event of decision.right) {
      state = evolve(state, event);
      events.push(event);
    }
  }
  return events;
};

// The tests after this one read the SKU it drove, with its runner stopped.
describe('a runner with small snapshot settings', () => {
  it('snapshots a busy SKU while commands arrive, only ever forward, and saves the last state when it stops', async () => {
    const runner = await f.startInProcess(snapshotSettings);
    const published: Array<CommandId> = [];
    const seenSeqs: Array<number> = [];
    const drive = async (steps: ReadonlyArray<Step>) => {
      for (const { command, path } of steps) {
        if (path === 'request') expect(Either.isRight(await f.request(command))).toBe(true);
        else {
          await f.publish(command);
          published.push(command.commandId);
        }
        const row = await snapshotRowOf(f, s);
        if (row !== undefined) seenSeqs.push(row.seq);
      }
    };
    await drive([
      { command: restock(s, 200), path: 'request' },
      { command: setSafetyStock(s, 5), path: 'request' },
      ...mixedCommands(1),
      { command: receiveReturn(s, 'order-r1-0', 1), path: 'publish' },
    ]);
    // A snapshot taken while the SKU is busy: the second half of the commands comes after it.
    await expect.poll(async () => (await snapshotRowOf(f, s))?.seq ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    const first = await snapshotRowOf(f, s);
    if (first === undefined) throw new Error('the snapshot row vanished');
    midRun = first;
    await drive([...mixedCommands(2), { command: restock(s, 20), path: 'publish' }]);
    const allApplied = async () => {
      const ids = new Set((await journalOf(f, s)).flatMap((r) => r.events.map((e) => e.commandId)));
      return published.every((id) => ids.has(id));
    };
    await expect.poll(allApplied, { timeout: 15_000 }).toBe(true);
    await runner.stop();
    services = await openActorServices(f);

    expect(seenSeqs).toEqual([...seenSeqs].sort((a, b) => a - b));
    expect((await snapshotRowOf(f, s))?.seq).toBe(await lastSeq(s));
  });
});

describe('snapshot + replay equals full replay', () => {
  it('for the snapshot taken mid-run, folded with every batch after it', async () => {
    const end = await lastSeq(s);
    expect(midRun.seq).toBeGreaterThan(0);
    expect(midRun.seq).toBeLessThan(end);
    const loaded = await load(s, serving(midRun));
    expect(loaded.readFrom).toEqual([midRun.seq]);
    expect(loaded.seq).toBe(end);
    expect(canonicalState(loaded.state)).toEqual(canonicalState(await replayedState(f, s)));
  });

  it('for the snapshot saved at shutdown, and again once more batches are appended behind it', async () => {
    const atShutdown = await load(s, services.snapshots);
    expect(atShutdown.readFrom).toEqual([atShutdown.seq]); // the snapshot was used: nothing after it to read
    expect(canonicalState(atShutdown.state)).toEqual(canonicalState(await replayedState(f, s)));

    // Another owner's batch after the snapshot, decided on the true state and fenced on the last sequence.
    const [head, ...tail] = decideAll(await replayedState(f, s), [reserve(s, 'after-snapshot', 3), restock(s, 4)]);
    if (head === undefined) throw new Error('the commands decided no events');
    await Effect.runPromise(services.journal.append(s, Date.now(), [head, ...tail], await lastSeq(s)));

    const loaded = await load(s, services.snapshots);
    expect(loaded.readFrom).toEqual([atShutdown.seq]);
    expect(loaded.seq).toBe(await lastSeq(s));
    expect(loaded.seq).toBeGreaterThan(atShutdown.seq);
    expect(canonicalState(loaded.state)).toEqual(canonicalState(await replayedState(f, s)));
  });
});

describe('a snapshot never moves backwards', () => {
  it('refuses a lower or the same sequence, whatever the epoch, and leaves the row as it was', async () => {
    const row = await snapshotRowOf(f, s);
    if (row === undefined) throw new Error(`no snapshot of ${s}`);
    const shard = f.names.shardOf(s);
    const save = (seq: number, epoch: number) => Effect.runPromise(services.snapshots.save({ sku: s, shard, seq, epoch, state: row.state }));
    expect(await save(row.seq - 1, row.epoch)).toBe(false);
    expect(await save(row.seq, row.epoch)).toBe(false);
    expect(await save(row.seq, row.epoch + 1)).toBe(false);
    expect(await snapshotRowOf(f, s)).toEqual(row);
  });

  // The journal is fenced per SKU, so the state at a sequence is the same whichever owner computed it.
  it('stores a later sequence, from the same owner or another one, and records its epoch', async () => {
    const fresh = sku('JERKY-SNAP-FENCE-1');
    const shard = f.names.shardOf(fresh);
    const stateAt = (version: number) => canonicalState({ ...initialState(fresh), version });
    const save = (seq: number, epoch: number) =>
      Effect.runPromise(services.snapshots.save({ sku: fresh, shard, seq, epoch, state: stateAt(seq) }));
    expect(await save(10, 1_000)).toBe(true);
    expect(await save(9, 1_000)).toBe(false);
    expect(await save(10, 1_001)).toBe(false);
    expect(await snapshotRowOf(f, fresh)).toMatchObject({ seq: 10, epoch: 1_000, state: stateAt(10) });
    expect(await save(11, 999)).toBe(true);
    expect(await snapshotRowOf(f, fresh)).toMatchObject({ seq: 11, epoch: 999, state: stateAt(11) });
    expect(await save(12, 1_001)).toBe(true);
    expect(await snapshotRowOf(f, fresh)).toMatchObject({ seq: 12, epoch: 1_001, state: stateAt(12) });
  });
});

describe('a restarted runner', () => {
  it('goes on from the right stock: it holds exactly what is available, then refuses', async () => {
    const runner = await f.startInProcess(snapshotSettings);
    const position = positionAt(await replayedState(f, s), mainLocation);
    const free = available(position);
    expect(free).toBeGreaterThan(0);

    const all = await f.request(reserve(s, 'after-restart', free));
    expect(Either.isRight(all) && all.right).toMatchObject({
      _tag: 'Accepted',
      levels: { onHand: position.onHand, reserved: position.reserved + free, safetyStock: position.safetyStock, available: 0 },
    });
    const more = await f.request(reserve(s, 'after-restart-2', 1));
    expect(Either.isRight(more) && more.right).toMatchObject({ _tag: 'Rejected', rejection: { _tag: 'InsufficientStock' } });
    await runner.stop();
  });
});
