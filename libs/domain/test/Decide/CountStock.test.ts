// Specification of CountStock (a stocktake): on hand becomes the counted units, decided against the
// actor's own on-hand at that moment, so holds and sales that land while the count is taken stay counted.
// The event records counted, expected and the difference; a count below the units held adds a shortfall.
import { describe, expect, it } from '@effect/vitest';
import { Either } from 'effect';
import { decide, evolve, Reference, type SkuState } from '../../src/index.js';
import { after, clerk, cold, committed, count, eventsOf, given, levels, main, r1, r2, reserved, restocked, sku, sold, whenId } from '../Fixtures.js';

const sheet = Reference.make('STOCKTAKE-2025-01');
const apply = (state: SkuState, events: ReturnType<typeof eventsOf>) => events.reduce(evolve, state);

describe('given 40 on hand with 5 held', () => {
  const state = given(restocked(40), reserved(r1, 5));

  it('when 37 are counted, then on hand is 37, the 5 stay held, and the event says counted 37, expected 40, difference −3', () => {
    const events = eventsOf(decide(count({ counted: 37, reference: sheet, at: 5 }), state));
    expect(events).toStrictEqual([
      {
        _tag: 'StockCounted',
        commandId: whenId,
        actor: clerk,
        at: after(5),
        sku,
        location: main,
        before: levels(40, 5),
        after: levels(37, 5),
        reference: sheet,
        reason: 'stocktake',
        counted: 37,
        expected: 40,
        difference: -3,
      },
    ]);
    const next = apply(state, events);
    expect(next.positions[main]).toMatchObject({ onHand: 37, reserved: 5 });
  });

  it('when 43 are counted, then 3 units were found: difference +3', () => {
    expect(eventsOf(decide(count({ counted: 43 }), state))).toMatchObject([{ _tag: 'StockCounted', expected: 40, difference: 3, after: levels(43, 5) }]);
  });

  it('when the count matches, then it is still recorded, with difference 0 (the audit shows the count was taken)', () => {
    expect(eventsOf(decide(count({ counted: 40 }), state))).toMatchObject([{ _tag: 'StockCounted', expected: 40, difference: 0, after: levels(40, 5) }]);
  });

  it('when only 2 are counted, then the 3 held units nobody has are a shortfall (count_below_held)', () => {
    expect(eventsOf(decide(count({ counted: 2, reference: sheet }), state))).toMatchObject([
      { _tag: 'StockCounted', after: levels(2, 5), difference: -38 },
      { _tag: 'ShortfallRecorded', reason: 'count_below_held', shortfall: 3, reference: sheet, after: levels(2, 5) },
    ]);
  });

  it('counts the location it names only', () => {
    expect(eventsOf(decide(count({ counted: 4, location: cold }), state))).toMatchObject([
      { _tag: 'StockCounted', location: cold, expected: 0, difference: 4, before: levels(0), after: levels(4) },
    ]);
  });
});

describe('given a count taken on the floor while holds and sales land', () => {
  it('when a hold of 5 is committed (shipped) before the count arrives, then the expected is what the actor has then, not what the counter saw', () => {
    // The counter saw 40 on the shelf; meanwhile 5 were committed and shipped: the actor expects 35.
    const state = given(restocked(40), reserved(r1, 5), committed(r1, 5), reserved(r2, 2));
    expect(eventsOf(decide(count({ counted: 35 }), state))).toMatchObject([
      { _tag: 'StockCounted', before: levels(35, 2), after: levels(35, 2), expected: 35, difference: 0 },
    ]);
  });
});

describe('given stock oversold to −3', () => {
  it('when 0 are counted, then on hand becomes 0: a count never leaves a negative on hand', () => {
    expect(eventsOf(decide(count({ counted: 0 }), given(sold(3))))).toStrictEqual([
      expect.objectContaining({ _tag: 'StockCounted', before: levels(-3), after: levels(0), expected: -3, difference: 3 }),
    ]);
  });
});

describe('given a count already applied', () => {
  it('when the same command arrives again, then it decides nothing: a retry never counts twice', () => {
    const state = given(restocked(40));
    const first = eventsOf(decide(count({ counted: 30 }), state));
    const next = apply(state, first);
    expect(eventsOf(decide(count({ counted: 30 }), next))).toStrictEqual([]);
  });
});

describe('given a count that names the on-hand it expected', () => {
  const state = given(restocked(40), sold(3));

  it('when the actor holds that on-hand, then it applies as any count', () => {
    expect(eventsOf(decide(count({ counted: 36, expectedOnHand: 37 }), state))).toMatchObject([{ _tag: 'StockCounted', expected: 37, difference: -1 }]);
  });

  it('when a sale was recorded since the counter read it, then it is refused as CountStale and nothing changes', () => {
    expect(decide(count({ counted: 40, expectedOnHand: 40 }), state)).toStrictEqual(
      Either.left({ _tag: 'CountStale', sku, location: main, expectedOnHand: 40, onHand: 37 }),
    );
  });
});
