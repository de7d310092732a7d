// Back in stock, exactly once (issue 19, ADR 0019) on the real NATS, Postgres and Redis with real runners:
// a SKU (with a registered channel and a pack made of it) sold to 0 comes back by (a) a hold expiring,
// (b) a restock and (c) a quarantined lot released. Each rise is one `stock.v1.back` per scope, also
// when the runner is replaced midway and when the journal is replayed from the start.
import { addDays, dayOf, EpochMillis, LotCode, Quantity, Reference, ReservationId, TtlSeconds, type CalendarDate, type Command, type Sku } from '@larder/domain';
import { ChannelId } from '@larder/domain';
import { decodeStockPublicEvent, encodeCatalogueRecord, type StockPublicEvent } from '@larder/messaging';
import { Kvm } from '@nats-io/kv';
import { nanos } from '@nats-io/transport-node';
import { Either } from 'effect';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commit, recordSale, sku } from '../Support/Commands.js';
import { commandId, makeRunnerFixture, now, testActor, type RunnerFixture } from '../Support/RunnerFixture.js';

const jerky = sku('JERKY-BACK-1');
const pack = sku('JERKY-BACK-PACK');
const today = dayOf(Date.now());

const restockLot = (qty: number, code: string, bestBefore: CalendarDate): Command => ({
  _tag: 'Restock',
  commandId: commandId('restock'),
  actor: testActor,
  now: now(),
  sku: jerky,
  qty: Quantity.make(qty),
  reference: Reference.make('po-back'),
  lot: { code: LotCode.make(code), bestBefore },
});
const hold = (id: string, qty: number, ttlSeconds: number): Command => ({
  _tag: 'ReserveStock',
  commandId: commandId('reserve'),
  actor: testActor,
  now: now(),
  sku: jerky,
  reservationId: ReservationId.make(id),
  qty: Quantity.make(qty),
  ttlSeconds: TtlSeconds.make(ttlSeconds),
});
const lotCommand = (tag: 'QuarantineLot' | 'ReleaseLot', code: string): Command => ({
  _tag: tag,
  commandId: commandId(tag),
  actor: testActor,
  now: now(),
  sku: jerky,
  lot: LotCode.make(code),
  note: 'lab check of the batch',
});

let f: RunnerFixture;
let runner: { readonly stop: () => Promise<void> };
beforeAll(async () => {
  f = await makeRunnerFixture();
  runner = await f.startInProcess();
  // A channel that sells only lots with 30+ days left, and a pack of one unit: both are judged too.
  const catalogue = await new Kvm(f.nc).open(f.names.buckets.catalogue);
  const at = EpochMillis.make(Date.now());
  await catalogue.put(
    f.names.keys.channel(ChannelId.make('retail')),
    encodeCatalogueRecord({ v: 1, kind: 'channel', channel: ChannelId.make('retail'), name: 'Retail', minShelfLifeDays: 30, handlingDays: 0, updatedAt: at, updatedBy: 'test' }),
  );
  await catalogue.put(f.names.keys.pack(pack), encodeCatalogueRecord({ v: 1, kind: 'pack', pack, components: [{ sku: jerky, qty: Quantity.make(1) }], updatedAt: at, updatedBy: 'test' }));
}, 120_000);
afterAll(async () => f?.cleanup());

/** Sends until the shard's owner answers (a moment without one, as shards move, answers nothing) and expects it accepted. */
const accepted = async (command: Command) => {
  const deadline = Date.now() + 30_000;
  let outcome = await f.request(command, 15_000);
  while (Either.isLeft(outcome) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    outcome = await f.request(command, 15_000);
  }
  expect(Either.isRight(outcome) && outcome.right._tag === 'Accepted', JSON.stringify(outcome)).toBe(true);
};

/** Every out/back event of `of` on STOCK, in stream order (the file's stream is small: read message by message). */
const crossings = async (of: Sku): Promise<ReadonlyArray<StockPublicEvent>> => {
  const subjects = new Set([f.names.stock.subject('out', of), f.names.stock.subject('back', of)]);
  const { state } = await f.jsm.streams.info(f.names.stock.stream);
  const found: Array<StockPublicEvent> = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const m = await f.jsm.streams.getMessage(f.names.stock.stream, { seq });
    if (m === null || !subjects.has(m.subject)) continue;
    const decoded = decodeStockPublicEvent(m.data);
    if (Either.isRight(decoded)) found.push(decoded.right);
  }
  return found;
};
const label = (e: StockPublicEvent) => `${e.kind} ${e.scope ?? 'location'}${e.channel === undefined ? '' : ` ${e.channel}`}`;
const of = async (s: Sku, scope: string) => (await crossings(s)).map(label).filter((l) => l.endsWith(scope));

const settled = async (s: Sku, scope: string, expected: ReadonlyArray<string>) => {
  await expect.poll(() => of(s, scope), { timeout: 30_000, interval: 250 }).toStrictEqual(expected);
};

describe('given a SKU with a lot best before in 400 days, a channel needing 30 days and a pack of one', () => {
  const far = addDays(today, 400);

  it('announces each rise from 0 once per scope, whatever brought it back, across a runner replaced midway and a replayed journal', async () => {
    await accepted(restockLot(3, 'L-A', far));
    await settled(jerky, 'sku', ['back sku']);

    // (a) every unit held, then the hold expires by itself.
    await accepted(hold('r-a', 3, 1));
    await settled(jerky, 'sku', ['back sku', 'out sku', 'back sku']);

    // (b) sold to 0 through a committed hold, then restocked with a lot too short for retail (10 days).
    await accepted(hold('r-b', 3, 600));
    await accepted(commit(jerky, 'r-b'));
    await accepted(restockLot(2, 'L-B', addDays(today, 10)));
    await settled(jerky, 'sku', ['back sku', 'out sku', 'back sku', 'out sku', 'back sku']);
    await settled(jerky, 'retail', ['back channel retail', 'out channel retail', 'back channel retail', 'out channel retail']);

    // The runner is replaced (drained, as on a deploy) before (c).
    await runner.stop();
    runner = await f.startInProcess();

    // (c) a fresh lot comes in and is quarantined, the rest sells out, the lot is released.
    await accepted(restockLot(4, 'L-C', far));
    await accepted(lotCommand('QuarantineLot', 'L-C'));
    await accepted(recordSale(jerky, 'order-c', 2));
    await accepted(lotCommand('ReleaseLot', 'L-C'));
    const expected = ['back sku', 'out sku', 'back sku', 'out sku', 'back sku', 'out sku', 'back sku'];
    await settled(jerky, 'sku', expected);
    // Retail: back with L-C (its 4 units), out while quarantined (L-B is too short for it), back on release.
    await settled(jerky, 'retail', ['back channel retail', 'out channel retail', 'back channel retail', 'out channel retail', 'back channel retail', 'out channel retail', 'back channel retail']);
    // The pack follows its component's views as written (coalesced): a dip shorter than a write can pass
    // unseen, and its first view (in stock or not, by timing) announces nothing. Its list alternates, ends
    // with back, and never repeats a kind.
    const alternates = (list: ReadonlyArray<string>) => list.length >= 3 && list.at(-1) === 'back sku' && list.every((l, i) => i === 0 || l !== list[i - 1]);
    await expect.poll(async () => alternates(await of(pack, 'sku')), { timeout: 30_000, interval: 250 }).toBe(true);
    const packBefore = await of(pack, 'sku');

    // The journal replayed from its start: the snapshot is deleted and the runner replaced, after
    // STOCK's duplicate window has passed (shortened to 1 s), so JetStream would keep any copy.
    await runner.stop();
    const { config } = await f.jsm.streams.info(f.names.stock.stream);
    await f.jsm.streams.update(f.names.stock.stream, { ...config, duplicate_window: nanos(1_000) });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const client = new pg.Client({ connectionString: f.env['DATABASE_URL'] });
    await client.connect();
    await client.query(`delete from "${f.env['LARDER_DB_SCHEMA'] ?? ''}".sku_snapshot where sku = $1`, [jerky]);
    await client.end();
    runner = await f.startInProcess();
    await accepted(hold('r-d', 1, 600));
    // Nothing new: the replayed batches are at or before what was announced.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await of(jerky, 'sku')).toStrictEqual(expected);
    expect(await of(pack, 'sku')).toStrictEqual(packBefore);
    // Each back names its journal position; no position twice.
    const backs = (await crossings(jerky)).filter((e) => e.kind === 'back' && e.scope === 'sku').map((e) => e.seq);
    expect(new Set(backs).size).toBe(backs.length);
  }, 180_000);
});

describe('given a runner killed (SIGKILL) right after a SKU came back', () => {
  const other = sku('JERKY-BACK-2');
  const restockOther = (qty: number): Command => ({ ...restockLot(qty, `L-K${qty}`, addDays(today, 400)), sku: other });

  it('announces the rise once: by the killed runner if it got that far, else by the runner that takes over', async () => {
    await accepted(restockOther(2));
    await accepted(recordSale(other, 'order-k', 2));
    await settled(other, 'sku', ['back sku', 'out sku']);

    // A child runner takes every shard over (the in-process one drains), then dies on the spot after the restock.
    const child = await f.startChild();
    await runner.stop();
    await accepted(restockOther(3));
    await child.kill('SIGKILL');
    runner = await f.startInProcess();

    await settled(other, 'sku', ['back sku', 'out sku', 'back sku']);
    await accepted({ ...hold('r-k', 1, 600), sku: other });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await of(other, 'sku')).toStrictEqual(['back sku', 'out sku', 'back sku']);
    expect(await of(other, 'location')).toStrictEqual(['back location', 'out location', 'back location']);
  }, 180_000);
});
