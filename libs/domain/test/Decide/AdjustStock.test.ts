// Specification of AdjustStock (damaged, shrinkage, count correction, …): onHand moves by the signed
// delta with its reason and reference; a reduction beyond the stock nobody holds adds a shortfall.
import { describe, expect, it } from '@effect/vitest';
import { AdjustReasons, decide, Reference } from '../../src/index.js';
import { adjust, after, clerk, cold, eventsOf, given, levels, main, r1, reserved, restocked, sku, sold, whenId } from '../Fixtures.js';

const countSheet = Reference.make('COUNT-2025-01');

describe('given 10 units on hand, none held', () => {
  const state = given(restocked(10));

  it.each(AdjustReasons)('takes 2 off for reason %s, with no shortfall', (reason) => {
    expect(eventsOf(decide(adjust({ delta: -2, reason, reference: countSheet, at: 5 }), state))).toStrictEqual([
      {
        _tag: 'StockAdjusted',
        commandId: whenId,
        actor: clerk,
        at: after(5),
        sku,
        location: main,
        before: levels(10),
        after: levels(8),
        reference: countSheet,
        reason,
        delta: -2,
      },
    ]);
  });

  it.each(AdjustReasons)('adds 3 for reason %s', (reason) => {
    expect(eventsOf(decide(adjust({ delta: 3, reason }), state))).toMatchObject([{ _tag: 'StockAdjusted', reason, delta: 3, after: levels(13) }]);
  });

  it('takes all 10 off without a shortfall', () => {
    expect(eventsOf(decide(adjust({ delta: -10 }), state))).toStrictEqual([expect.objectContaining({ _tag: 'StockAdjusted', after: levels(0) })]);
  });

  it('adjusts the location it names only', () => {
    expect(eventsOf(decide(adjust({ delta: -1, location: cold }), state))).toMatchObject([
      { _tag: 'StockAdjusted', location: cold, after: levels(-1) },
      { _tag: 'ShortfallRecorded', location: cold, shortfall: 1 },
    ]);
  });
});

describe('given 10 on hand with a held reservation of 6', () => {
  const state = given(restocked(10), reserved(r1, 6));

  it('records a loss of 7 and a shortfall of exactly 3 beyond the 4 free units', () => {
    expect(eventsOf(decide(adjust({ delta: -7, reason: 'shrinkage', reference: countSheet, at: 5 }), state))).toStrictEqual([
      {
        _tag: 'StockAdjusted',
        commandId: whenId,
        actor: clerk,
        at: after(5),
        sku,
        location: main,
        before: levels(10, 6),
        after: levels(3, 6),
        reference: countSheet,
        reason: 'shrinkage',
        delta: -7,
      },
      {
        _tag: 'ShortfallRecorded',
        commandId: whenId,
        actor: clerk,
        at: after(5),
        sku,
        location: main,
        before: levels(3, 6),
        after: levels(3, 6),
        reference: countSheet,
        reason: 'adjustment_without_stock',
        shortfall: 3,
      },
    ]);
  });
});

describe('given no stock at all', () => {
  it('drives onHand negative and records the whole reduction as shortfall', () => {
    expect(eventsOf(decide(adjust({ delta: -2, reason: 'count_correction' }), given()))).toMatchObject([
      { _tag: 'StockAdjusted', after: levels(-2) },
      { _tag: 'ShortfallRecorded', shortfall: 2, reason: 'adjustment_without_stock' },
    ]);
  });
});

describe('given stock oversold to −3', () => {
  it('records a positive correction alone: adding stock is never a shortfall', () => {
    expect(eventsOf(decide(adjust({ delta: 1, reason: 'found' }), given(sold(3))))).toStrictEqual([
      expect.objectContaining({ _tag: 'StockAdjusted', before: levels(-3), after: levels(-2) }),
    ]);
  });
});
