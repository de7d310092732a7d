// Specification of Restock: received goods raise onHand at one location, with the delivery's reference.
import { describe, expect, it } from '@effect/vitest';
import { decide, fold, positionAt } from '../../src/index.js';
import { after, clerk, cold, deliveryNote, eventsOf, given, levels, main, r1, reserved, restock, restocked, sku, sold, whenId } from '../Fixtures.js';

describe('given no stock', () => {
  const state = given();

  it('raises onHand by the quantity, saying who, why and which delivery', () => {
    expect(eventsOf(decide(restock({ qty: 12, reference: deliveryNote, at: 5 }), state))).toStrictEqual([
      {
        _tag: 'StockRestocked',
        commandId: whenId,
        actor: clerk,
        at: after(5),
        sku,
        location: main,
        before: levels(0),
        after: levels(12),
        reference: deliveryNote,
        reason: 'restock',
        qty: 12,
      },
    ]);
  });

  it('restocks another location without touching the default one', () => {
    const next = fold(state, eventsOf(decide(restock({ qty: 5, location: cold }), state)));
    expect(positionAt(next, cold)).toMatchObject({ onHand: 5 });
    expect(positionAt(next, main)).toMatchObject({ onHand: 0 });
  });
});

describe('given stock oversold to −3', () => {
  it('pays back the debt first: 5 in leaves 2', () => {
    expect(eventsOf(decide(restock({ qty: 5 }), given(sold(3))))).toMatchObject([{ before: levels(-3), after: levels(2) }]);
  });
});

describe('given a held reservation', () => {
  it('leaves what is reserved as it was', () => {
    expect(eventsOf(decide(restock({ qty: 5 }), given(restocked(4), reserved(r1, 4))))).toMatchObject([
      { before: levels(4, 4), after: levels(9, 4) },
    ]);
  });
});
