// Specification of RecordSale (an order completed without a prior hold): onHand drops by the sale
// even below zero, and whatever the sale took beyond the stock nobody held is recorded as a shortfall.
import { describe, expect, it } from '@effect/vitest';
import { decide, fold, positionAt, Reference } from '../../src/index.js';
import {
  after,
  cold,
  eventsOf,
  given,
  levels,
  main,
  order,
  policySet,
  r1,
  recordSale,
  reserved,
  restocked,
  shop,
  sku,
  sold,
  whenId,
} from '../Fixtures.js';

describe('given 10 units on hand, none held', () => {
  const state = given(restocked(10));

  it('records the sale and no shortfall', () => {
    expect(eventsOf(decide(recordSale({ qty: 3, at: 5 }), state))).toStrictEqual([
      {
        _tag: 'SaleRecorded',
        commandId: whenId,
        actor: shop,
        at: after(5),
        sku,
        location: main,
        before: levels(10),
        after: levels(7),
        reference: Reference.make(order),
        reason: 'order_completed',
        orderId: order,
        qty: 3,
      },
    ]);
  });

  it('sells all 10 without a shortfall', () => {
    expect(eventsOf(decide(recordSale({ qty: 10 }), state))).toMatchObject([{ _tag: 'SaleRecorded', after: levels(0) }]);
  });

  // DESIGN.md §5: "Every change is an event with who, why, a reference, before and after".
  it('names the order as the reference of the sale, as its shortfall does', () => {
    expect(eventsOf(decide(recordSale({ qty: 3 }), state))).toMatchObject([{ _tag: 'SaleRecorded', reference: order }]);
  });
});

describe('given 10 on hand and a safety stock of 4', () => {
  const state = given(restocked(10), policySet(4, null));

  it('sells into the safety stock without a shortfall: those units are on the shelf', () => {
    expect(eventsOf(decide(recordSale({ qty: 8 }), state))).toStrictEqual([
      expect.objectContaining({ _tag: 'SaleRecorded', before: levels(10, 0, 4), after: levels(2, 0, 4) }),
    ]);
  });
});

describe('given 10 on hand with a held reservation of 4', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }));

  it('sells the 6 free units without a shortfall', () => {
    expect(eventsOf(decide(recordSale({ qty: 6 }), state))).toStrictEqual([
      expect.objectContaining({ _tag: 'SaleRecorded', after: levels(4, 4) }),
    ]);
  });

  it('records a sale of 8 eating into held stock, then a shortfall of exactly 2', () => {
    expect(eventsOf(decide(recordSale({ qty: 8, at: 5 }), state))).toStrictEqual([
      {
        _tag: 'SaleRecorded',
        commandId: whenId,
        actor: shop,
        at: after(5),
        sku,
        location: main,
        before: levels(10, 4),
        after: levels(2, 4),
        reference: Reference.make(order),
        reason: 'order_completed',
        orderId: order,
        qty: 8,
      },
      {
        _tag: 'ShortfallRecorded',
        commandId: whenId,
        actor: shop,
        at: after(5),
        sku,
        location: main,
        // The shortfall moves nothing: it sees the levels the sale left.
        before: levels(2, 4),
        after: levels(2, 4),
        reference: order,
        reason: 'sale_without_stock',
        shortfall: 2,
      },
    ]);
  });

  it('leaves the hold in place: reserved now exceeds onHand, and says so', () => {
    const next = fold(state, eventsOf(decide(recordSale({ qty: 8 }), state)));
    expect(positionAt(next, main)).toMatchObject({ onHand: 2, reserved: 4 });
  });
});

describe('given no stock at all', () => {
  const state = given();

  it('drives onHand to −3 and records a shortfall of 3', () => {
    expect(eventsOf(decide(recordSale({ qty: 3 }), state))).toMatchObject([
      { _tag: 'SaleRecorded', before: levels(0), after: levels(-3), qty: 3 },
      { _tag: 'ShortfallRecorded', before: levels(-3), after: levels(-3), shortfall: 3, reason: 'sale_without_stock' },
    ]);
  });
});

describe('given stock already oversold (onHand −3)', () => {
  const state = given(sold(3));

  it('records the whole next sale as shortfall, not the debt again', () => {
    expect(eventsOf(decide(recordSale({ qty: 2 }), state))).toMatchObject([
      { _tag: 'SaleRecorded', after: levels(-5) },
      { _tag: 'ShortfallRecorded', shortfall: 2 },
    ]);
  });
});

describe('given stock at two locations', () => {
  const state = given(restocked(10), restocked(1, { location: cold }));

  it('sells from the location it names only', () => {
    expect(eventsOf(decide(recordSale({ qty: 3, location: cold }), state))).toMatchObject([
      { _tag: 'SaleRecorded', location: cold, before: levels(1), after: levels(-2) },
      { _tag: 'ShortfallRecorded', location: cold, shortfall: 2 },
    ]);
  });
});
