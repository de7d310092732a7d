// The actor's lot timer on the real NATS, Postgres and Redis (DESIGN.md §10 "Lots and shelf life"):
// a lot whose alert date has come is announced once on `stock.v1.lot.expiring.<sku>`; at its removal
// date its free units leave sale by the actor's own decision, without any request; quarantine and
// release reach analysts as lot events, per location.
import { addDays, dayOf, LotCode, Quantity, Reference, type CalendarDate, type Command, type Sku } from '@larder/domain';
import { decodeLotPublicEvent, decodeStockView, type LotEventKind } from '@larder/messaging';
import { Kvm, type KV } from '@nats-io/kv';
import { Either, Option } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sku } from '../Support/Commands.js';
import { commandId, makeRunnerFixture, now, testActor, type RunnerFixture } from '../Support/RunnerFixture.js';

const restockLot = (s: Sku, qty: number, code: string, bestBefore: CalendarDate): Command => ({
  _tag: 'Restock',
  commandId: commandId('restock'),
  actor: testActor,
  now: now(),
  sku: s,
  qty: Quantity.make(qty),
  reference: Reference.make('po-lots'),
  lot: { code: LotCode.make(code), bestBefore },
});
const lotPolicy = (s: Sku, days: { readonly alertDays?: number; readonly removalDays?: number }): Command => ({
  _tag: 'SetStockPolicy',
  commandId: commandId('policy'),
  actor: testActor,
  now: now(),
  sku: s,
  ...days,
});

let f: RunnerFixture;
let stock: KV;
beforeAll(async () => {
  f = await makeRunnerFixture();
  await f.startInProcess();
  stock = await new Kvm(f.nc).open(f.names.buckets.stock);
});
afterAll(async () => f?.cleanup());

const accepted = async (command: Command) => {
  const outcome = await f.request(command);
  expect(Either.isRight(outcome) && outcome.right._tag === 'Accepted', JSON.stringify(outcome)).toBe(true);
};

const viewOf = async (of: ReturnType<typeof sku>) => {
  const entry = await stock.get(f.names.keys.stock(of));
  return entry === null || entry.operation !== 'PUT' ? undefined : Option.getOrUndefined(Either.getRight(decodeStockView(entry.value)));
};

/** Every lot event of `kind` for a SKU on STOCK. */
const lotEvents = async (kind: LotEventKind, of: ReturnType<typeof sku>) => {
  const found: Array<ReturnType<typeof decodeLotPublicEvent>> = [];
  const consumer = await f.js.consumers.get(f.names.stock.stream, { filter_subjects: f.names.stock.lotSubject(kind, of) });
  const messages = await consumer.fetch({ max_messages: 50, expires: 1_000 });
  for await (const m of messages) {
    found.push(decodeLotPublicEvent(m.data));
    if (m.info.pending === 0) break;
  }
  return found.flatMap((e) => (Either.isRight(e) ? [e.right] : []));
};

describe('given a lot best before 10 days from today, with alert 30 days and removal 5 days before', () => {
  it('announces it as expiring once, on its own timer; a removal date already passed takes its units out of sale', async () => {
    const jerky = sku('JERKY-LOT-TIMER');
    const today = dayOf(Date.now());
    const soon = addDays(today, 10);
    await accepted(restockLot(jerky, 12, 'L-SOON', soon));
    await accepted(restockLot(jerky, 8, 'L-LATER', addDays(today, 400)));
    // alert 30 days before: due now for L-SOON; removal 5 days before: not yet.
    await accepted(lotPolicy(jerky, { alertDays: 30, removalDays: 5 }));
    await expect.poll(async () => (await lotEvents('expiring', jerky)).map((e) => e.lot), { timeout: 15_000 }).toStrictEqual(['L-SOON']);
    expect((await viewOf(jerky))?.available).toBe(20);

    // The removal date moves into the past: the timer takes L-SOON's 12 units out of sale.
    await accepted(lotPolicy(jerky, { removalDays: 20 }));
    await expect.poll(async () => (await viewOf(jerky))?.available, { timeout: 15_000 }).toBe(8);
    const view = await viewOf(jerky);
    expect(view?.locations[0]?.blocked).toBe(12);
    expect(view?.locations[0]?.lots.map((l) => [l.code, l.status])).toStrictEqual([
      ['L-SOON', 'removed'],
      ['L-LATER', 'sellable'],
    ]);
    expect((await lotEvents('removed', jerky)).map((e) => [e.lot, e.units])).toStrictEqual([['L-SOON', 12]]);
    // Announced once, however many ticks passed.
    expect((await lotEvents('expiring', jerky)).length).toBe(1);
  }, 60_000);
});
