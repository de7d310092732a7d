// Specification of ReceiveReturn: a restockable return goes back on the shelf; one that is not is
// recorded for the ledger and moves nothing.
import { describe, expect, it } from '@effect/vitest';
import { decide, fold, positionAt, Reference } from '../../src/index.js';
import { after, clerk, cold, eventsOf, given, levels, main, order, receiveReturn, restocked, sku, whenId } from '../Fixtures.js';

const rma = Reference.make('RMA-2025-17');

describe('given 10 units on hand', () => {
  const state = given(restocked(10));

  it('puts a restockable return of 2 back on hand', () => {
    expect(eventsOf(decide(receiveReturn({ qty: 2, restockable: true, reference: rma, at: 5 }), state))).toStrictEqual([
      {
        _tag: 'ReturnReceived',
        commandId: whenId,
        actor: clerk,
        at: after(5),
        sku,
        location: main,
        before: levels(10),
        after: levels(12),
        reference: rma,
        reason: 'return_restocked',
        orderId: order,
        qty: 2,
        restockable: true,
      },
    ]);
  });

  it('records a return that cannot be restocked, moving nothing', () => {
    const events = eventsOf(decide(receiveReturn({ qty: 2, restockable: false, reference: rma, at: 5 }), state));
    expect(events).toStrictEqual([
      {
        _tag: 'ReturnReceived',
        commandId: whenId,
        actor: clerk,
        at: after(5),
        sku,
        location: main,
        before: levels(10),
        after: levels(10),
        reference: rma,
        reason: 'return_not_restockable',
        orderId: order,
        qty: 2,
        restockable: false,
      },
    ]);
    const next = fold(state, events);
    expect(positionAt(next, main)).toStrictEqual(positionAt(state, main));
    expect(next.version).toBe(state.version + 1);
  });

  it('returns to the location it names', () => {
    expect(eventsOf(decide(receiveReturn({ qty: 1, location: cold }), state))).toMatchObject([{ location: cold, before: levels(0), after: levels(1) }]);
  });
});
