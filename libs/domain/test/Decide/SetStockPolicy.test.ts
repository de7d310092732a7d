// Specification of SetStockPolicy: safety stock and low-stock threshold of one location; a field the
// command leaves out keeps its value, and a command that changes nothing decides nothing.
import { describe, expect, it } from '@effect/vitest';
import { decide, fold, positionAt } from '../../src/index.js';
import { after, clerk, cold, eventsOf, given, levels, main, policySet, r1, refusalOf, reserve, reserved, restocked, setPolicy, sku, whenId } from '../Fixtures.js';

describe('given 10 on hand and no policy', () => {
  const state = given(restocked(10));

  it('sets a safety stock of 3: it shows in the levels after', () => {
    expect(eventsOf(decide(setPolicy({ safetyStock: 3, at: 5 }), state))).toStrictEqual([
      {
        _tag: 'StockPolicySet',
        commandId: whenId,
        actor: clerk,
        at: after(5),
        sku,
        location: main,
        before: levels(10, 0, 0),
        after: levels(10, 0, 3),
        reason: 'policy',
        safetyStock: 3,
        lowStockThreshold: null,
        previousLowStockThreshold: null,
      },
    ]);
  });

  it('sets a low-stock threshold of 5 alone: safety stock stays 0 and levels do not move', () => {
    const events = eventsOf(decide(setPolicy({ lowStockThreshold: 5 }), state));
    expect(events).toMatchObject([
      { _tag: 'StockPolicySet', before: levels(10), after: levels(10), safetyStock: 0, lowStockThreshold: 5, previousLowStockThreshold: null },
    ]);
    expect(positionAt(fold(state, events), main)).toStrictEqual({ onHand: 10, reserved: 0, safetyStock: 0, lowStockThreshold: 5 });
  });

  it('decides nothing for a command that names no field', () => {
    expect(eventsOf(decide(setPolicy(), state))).toStrictEqual([]);
  });

  it('decides nothing for values equal to the current ones (0 and nothing)', () => {
    expect(eventsOf(decide(setPolicy({ safetyStock: 0 }), state))).toStrictEqual([]);
  });

  it('accepts a safety stock above onHand: nothing is available, never a negative', () => {
    const next = fold(state, eventsOf(decide(setPolicy({ safetyStock: 15 }), state)));
    expect(refusalOf(decide(reserve({ commandId: 'reserve-1' }), next))).toMatchObject({ _tag: 'InsufficientStock', available: 0 });
  });

  it('sets the policy of the location it names only', () => {
    const next = fold(state, eventsOf(decide(setPolicy({ safetyStock: 2, location: cold }), state)));
    expect(positionAt(next, cold)).toMatchObject({ safetyStock: 2 });
    expect(positionAt(next, main)).toMatchObject({ safetyStock: 0 });
  });
});

describe('given a policy of safety stock 4 and low-stock threshold 5', () => {
  const state = given(restocked(10), reserved(r1, 2), policySet(4, 5));

  it('changes the safety stock alone and keeps the threshold', () => {
    expect(eventsOf(decide(setPolicy({ safetyStock: 6 }), state))).toMatchObject([
      { before: levels(10, 2, 4), after: levels(10, 2, 6), safetyStock: 6, lowStockThreshold: 5, previousLowStockThreshold: 5 },
    ]);
  });

  it('changes the threshold alone and keeps the safety stock', () => {
    expect(eventsOf(decide(setPolicy({ lowStockThreshold: 8 }), state))).toMatchObject([
      { before: levels(10, 2, 4), after: levels(10, 2, 4), safetyStock: 4, lowStockThreshold: 8, previousLowStockThreshold: 5 },
    ]);
  });

  it('lowers the safety stock to 0', () => {
    expect(eventsOf(decide(setPolicy({ safetyStock: 0 }), state))).toMatchObject([{ after: levels(10, 2, 0), safetyStock: 0 }]);
  });

  it('decides nothing when both values are the current ones', () => {
    expect(eventsOf(decide(setPolicy({ safetyStock: 4, lowStockThreshold: 5 }), state))).toStrictEqual([]);
  });
});
