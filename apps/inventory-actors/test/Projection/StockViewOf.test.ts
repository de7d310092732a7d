// Specification of the read projection: what a SKU's state looks like to readers, per state.
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis, LocationId } from '@larder/domain';
import { stockViewOf } from '../../src/Projection/StockViewOf.js';
import { allocateDrop, decidedSku, policy, reserve, reserveInDrop, restock, sale, t0 } from './Fixtures/DecidedSku.js';

const main = LocationId.make('main');
const cold = LocationId.make('cold');
const asOf = EpochMillis.make(t0 + 60_000);

describe('given a new SKU restocked with 10 units', () => {
  const jerky = decidedSku('JERKY-1', 41);
  const batch = jerky.run(restock(10));

  it('is in stock with every unit available, at the batch seq and time', () => {
    expect(stockViewOf(batch.state, batch.seq, asOf)).toStrictEqual({
      v: 1,
      sku: jerky.sku,
      kind: 'sku',
      seq: 41,
      asOf,
      onHand: 10,
      reserved: 0,
      safetyStock: 0,
      allocated: 0,
      available: 10,
      status: 'in_stock',
      lowStockThreshold: null,
      shortfall: 0,
      locations: [{ location: main, onHand: 10, reserved: 0, safetyStock: 0, allocated: 0, available: 10, lowStockThreshold: null, blocked: 0, lots: [], heldFrom: [] }],
      drops: [],
      components: [],
    });
  });
});

describe('given 10 on hand, 4 held, a safety stock of 1 and a low-stock threshold of 5', () => {
  const jerky = decidedSku('JERKY-2');
  jerky.run(restock(10), policy({ safetyStock: 1, lowStockThreshold: 5 }));
  const batch = jerky.run(reserve('r1', 4));

  it('is low with 5 available', () => {
    expect(stockViewOf(batch.state, batch.seq, asOf)).toMatchObject({
      onHand: 10,
      reserved: 4,
      safetyStock: 1,
      available: 5,
      status: 'low',
      lowStockThreshold: 5,
      shortfall: 0,
    });
  });
});

describe('given every available unit held', () => {
  const jerky = decidedSku('JERKY-3');
  const batch = jerky.run(restock(3), reserve('r1', 3));

  it('is out, with nothing missing', () => {
    expect(stockViewOf(batch.state, batch.seq, asOf)).toMatchObject({ available: 0, status: 'out', shortfall: 0 });
  });
});

describe('given both units held, then a sale of 3 reported without a hold', () => {
  const jerky = decidedSku('JERKY-4');
  jerky.run(restock(2), reserve('r1', 2));
  const batch = jerky.run(sale(3));

  it('shows the negative on-hand and counts the missing units as shortfall', () => {
    expect(stockViewOf(batch.state, batch.seq, asOf)).toMatchObject({
      onHand: -1,
      reserved: 2,
      available: 0,
      status: 'out',
      shortfall: 3,
    });
  });
});

describe('given stock at two locations, one of them below zero', () => {
  const jerky = decidedSku('JERKY-5');
  jerky.run(restock(10, 'main'), policy({ lowStockThreshold: 2, location: 'main' }), policy({ lowStockThreshold: 1, location: 'cold' }));
  const batch = jerky.run(sale(3, 'cold'));
  const view = stockViewOf(batch.state, batch.seq, asOf);

  it('sums the levels, but not a negative location into the available units of another', () => {
    expect(view).toMatchObject({ onHand: 7, reserved: 0, available: 10, shortfall: 3, lowStockThreshold: 3, status: 'in_stock' });
  });

  it('lists the locations sorted by name', () => {
    expect(view.locations).toStrictEqual([
      { location: cold, onHand: -3, reserved: 0, safetyStock: 0, allocated: 0, available: 0, lowStockThreshold: 1, blocked: 0, lots: [], heldFrom: [] },
      { location: main, onHand: 10, reserved: 0, safetyStock: 0, allocated: 0, available: 10, lowStockThreshold: 2, blocked: 0, lots: [], heldFrom: [] },
    ]);
  });
});

describe('given 100 on hand, 30 of them allocated to an open drop in which one customer holds 2', () => {
  const jerky = decidedSku('JERKY-DROP');
  const opensAt = t0 + 2_000;
  const closesAt = t0 + 3_600_000;
  jerky.run(restock(100), allocateDrop('ghost-1', 30, 2, opensAt, closesAt));
  const batch = jerky.run(reserveInDrop('r1', 2, 'ghost-1', 'cust-1'), reserve('r2', 5));
  const view = stockViewOf(batch.state, batch.seq, asOf);

  it('keeps the allocation out of available: 100 − 7 held − 28 still ring-fenced = 65', () => {
    expect(view).toMatchObject({ onHand: 100, reserved: 7, allocated: 28, available: 65 });
    expect(view.locations).toMatchObject([{ location: main, onHand: 100, reserved: 7, allocated: 28, available: 65 }]);
  });

  it('carries the drop’s figures: allocation, held, remaining, buyers, and its open time', () => {
    expect(view.drops).toStrictEqual([
      expect.objectContaining({
        dropId: 'ghost-1', location: main, opensAt, closesAt, closedAt: null, limitPerCustomer: 2,
        allocation: 30, held: 2, committed: 0, remaining: 28, returned: 0, soldOutAt: null, buyers: 1, refusedCustomers: 0, refusedUnits: 0,
      }),
    ]);
  });
});
