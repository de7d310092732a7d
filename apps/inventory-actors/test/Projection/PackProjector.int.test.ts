// The pack projection of a runner on the real NATS, Postgres and Redis: a recipe in the catalogue bucket
// and its components' commands make the pack's view in KV `stock` and its stock.v1 events on STOCK;
// deleting the recipe deletes the view.
import { EpochMillis, Quantity, type Sku } from '@larder/domain';
import { decodeStockPublicEvent, decodeStockView, encodeCatalogueRecord, type StockEventKind } from '@larder/messaging';
import { Kvm, type KV } from '@nats-io/kv';
import { Either, Option } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserve, restock, sku } from '../Support/Commands.js';
import { makeRunnerFixture, type RunnerFixture } from '../Support/RunnerFixture.js';

const pack = sku('JERKY-VARIETY');
const [a, b, c] = [sku('JERKY-A'), sku('JERKY-B'), sku('JERKY-C')];

let f: RunnerFixture;
let catalogue: KV;
let stock: KV;
beforeAll(async () => {
  f = await makeRunnerFixture();
  await f.startInProcess();
  const kvm = new Kvm(f.nc);
  [catalogue, stock] = await Promise.all([kvm.open(f.names.buckets.catalogue), kvm.open(f.names.buckets.stock)]);
});
afterAll(async () => f?.cleanup());

const accepted = async (command: Parameters<RunnerFixture['request']>[0]) => {
  const outcome = await f.request(command);
  expect(Either.isRight(outcome) && outcome.right._tag === 'Accepted').toBe(true);
};

const putRecipe = (of: Sku, ...components: ReadonlyArray<readonly [Sku, number]>) =>
  catalogue.put(
    f.names.keys.pack(of),
    encodeCatalogueRecord({
      v: 1,
      kind: 'pack',
      pack: of,
      components: components.map(([s, qty]) => ({ sku: s, qty: Quantity.make(qty) })),
      updatedAt: EpochMillis.make(Date.now()),
      updatedBy: 'service:test',
    }),
  );

/** A pack's view in KV `stock`: `null` while there is none, `undefined` while it does not decode yet. */
const packView = async (of: Sku = pack) => {
  const entry = await stock.get(f.names.keys.stock(of));
  if (entry === null || entry.operation !== 'PUT') return null;
  return Option.getOrUndefined(Either.getRight(decodeStockView(entry.value)));
};

/** The last public event of `kind` for a pack on STOCK, if any. */
const lastEvent = async (kind: StockEventKind, of: Sku = pack) => {
  const message = await f.jsm.streams.getMessage(f.names.stock.stream, { last_by_subj: f.names.stock.subject(kind, of) }).catch(() => null);
  return message === null ? undefined : Option.getOrUndefined(Either.getRight(decodeStockPublicEvent(message.data)));
};

describe('given JERKY-VARIETY = 1 A + 1 B + 1 C in the catalogue', () => {
  it('projects the pack from its components, follows a hold that empties it, and removes it with its recipe', async () => {
    await putRecipe(pack, [a, 1], [b, 1], [c, 1]);

    // When A, B and C are restocked with 7, 3 and 10
    await accepted(restock(a, 7));
    await accepted(restock(b, 3));
    await accepted(restock(c, 10));

    // Then the pack makes 3, limited by B
    await expect.poll(async () => (await packView())?.available, { timeout: 15_000 }).toBe(3);
    const view = await packView();
    expect(view).toMatchObject({ sku: pack, kind: 'pack', available: 3, onHand: 3, reserved: 0, status: 'in_stock' });
    expect(view?.components.map((x) => [x.sku, x.qty, x.available])).toStrictEqual([
      [a, 1, 7],
      [b, 1, 3],
      [c, 1, 10],
    ]);
    expect(view?.seq).toBe(Math.min(...(view?.components.map((x) => x.seq) ?? [])));
    await expect.poll(async () => (await lastEvent('changed'))?.available, { timeout: 15_000 }).toBe(3);
    expect(await lastEvent('changed')).toMatchObject({ sku: pack, location: 'main', available: 3 });

    // When all 3 of B are held
    await accepted(reserve(b, 'pack-test-hold', 3));

    // Then the pack is out, in KV and as an `out` event
    await expect.poll(async () => (await packView())?.status, { timeout: 15_000 }).toBe('out');
    expect(await packView()).toMatchObject({ available: 0, components: [{ available: 7 }, { available: 0 }, { available: 10 }] });
    await expect.poll(async () => (await lastEvent('out'))?.available, { timeout: 15_000 }).toBe(0);
    expect(await lastEvent('changed')).toMatchObject({ sku: pack, available: 0 });

    // When the recipe is deleted, then the pack's view is deleted
    await catalogue.delete(f.names.keys.pack(pack));
    await expect.poll(() => packView(), { timeout: 15_000 }).toBeNull();
  });
});

describe('given a pack of 2 D + 1 E, with D 500 and E 1000', () => {
  it('ends at the packs the last state makes after 300 holds on D at once (the newest state wins)', async () => {
    const [d, e, twoD] = [sku('JERKY-D'), sku('JERKY-E'), sku('JERKY-TWO-D')];
    await putRecipe(twoD, [d, 2], [e, 1]);
    await accepted(restock(d, 500));
    await accepted(restock(e, 1000));
    await expect.poll(async () => (await packView(twoD))?.available, { timeout: 15_000 }).toBe(250);

    const holds = await Promise.all(Array.from({ length: 300 }, (_, i) => f.request(reserve(d, `burst-${i}`), 30_000)));
    expect(holds.filter((r) => Either.isRight(r) && r.right._tag === 'Accepted')).toHaveLength(300);

    await expect.poll(async () => (await packView(twoD))?.components[0]?.available, { timeout: 15_000 }).toBe(200);
    expect(await packView(twoD)).toMatchObject({ available: 100, onHand: 250, status: 'in_stock' });
    await expect.poll(async () => (await lastEvent('changed', twoD))?.available, { timeout: 15_000 }).toBe(100);
  });
});
