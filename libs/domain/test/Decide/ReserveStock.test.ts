// Specification of ReserveStock: a hold takes units that are free (onHand − reserved − safetyStock),
// never more, and a reservation id stands for one hold with one set of terms.
import { describe, expect, it } from '@effect/vitest';
import { Either, HashMap, Option } from 'effect';
import { CustomerId, decide, findReservation, fold, positionAt, Reference, ReservationId } from '../../src/index.js';
import {
  cold,
  committed,
  expired,
  customer,
  eventsOf,
  given,
  levels,
  main,
  order,
  policySet,
  r1,
  r2,
  refusalOf,
  rejectionOf,
  released,
  reserve,
  reserved,
  restock,
  restocked,
  shop,
  sku,
  sold,
  t0,
  whenId,
} from '../Fixtures.js';

describe('given no stock', () => {
  const state = given();

  it('refuses any hold with InsufficientStock, available 0', () => {
    expect(refusalOf(decide(reserve({ qty: 1 }), state))).toStrictEqual({
      _tag: 'InsufficientStock',
      sku,
      location: main,
      requested: 1,
      available: 0,
    });
  });
});

describe('given 10 units on hand', () => {
  const state = given(restocked(10));

  it('holds 3 units until now + ttl, saying who, why, when, before and after', () => {
    const command = reserve({ qty: 3, ttlSeconds: 600, at: 5, orderId: order, customerId: customer });
    expect(eventsOf(decide(command, state))).toStrictEqual([
      {
        _tag: 'StockReserved',
        commandId: whenId,
        actor: shop,
        at: t0 + 5_000,
        sku,
        location: main,
        before: levels(10, 0),
        after: levels(10, 3),
        reason: 'checkout',
        reservationId: r1,
        qty: 3,
        expiresAt: t0 + 5_000 + 600_000,
        orderId: order,
        reference: Reference.make(order),
        customerId: customer,
      },
    ]);
  });

  it('opens the hold and counts it as reserved once the event is applied', () => {
    const next = fold(state, eventsOf(decide(reserve({ qty: 3, ttlSeconds: 600 }), state)));
    expect(positionAt(next, main)).toMatchObject({ onHand: 10, reserved: 3 });
    expect(Option.getOrThrow(HashMap.get(next.open, r1))).toStrictEqual({
      reservationId: r1,
      location: main,
      qty: 3,
      expiresAt: t0 + 600_000,
      status: 'held',
      createdAt: t0,
      closedAt: null,
      orderId: null,
      customerId: null,
      dropId: null,
      channel: null,
      sellableFrom: null,
    });
  });

  it('holds exactly the 10 available units', () => {
    expect(eventsOf(decide(reserve({ qty: 10 }), state))).toMatchObject([{ _tag: 'StockReserved', qty: 10, after: levels(10, 10) }]);
  });

  it('refuses one more than available with InsufficientStock, naming requested and available', () => {
    expect(refusalOf(decide(reserve({ qty: 11 }), state))).toStrictEqual({
      _tag: 'InsufficientStock',
      sku,
      location: main,
      requested: 11,
      available: 10,
    });
  });

  it('leaves out orderId and customerId when the command has none', () => {
    const [event] = eventsOf(decide(reserve({ qty: 1 }), state));
    expect(event).not.toHaveProperty('orderId');
    expect(event).not.toHaveProperty('customerId');
    expect(event).not.toHaveProperty('reference');
  });

  it('looks only at the location the command names: another location has nothing', () => {
    expect(refusalOf(decide(reserve({ qty: 1, location: cold }), state))).toMatchObject({
      _tag: 'InsufficientStock',
      location: cold,
      available: 0,
    });
  });
});

describe('given 10 on hand and a safety stock of 4', () => {
  const state = given(restocked(10), policySet(4, null));

  it('holds up to onHand − safetyStock = 6', () => {
    expect(eventsOf(decide(reserve({ qty: 6 }), state))).toMatchObject([
      { _tag: 'StockReserved', qty: 6, before: levels(10, 0, 4), after: levels(10, 6, 4) },
    ]);
  });

  it('refuses 7 with available 6', () => {
    expect(refusalOf(decide(reserve({ qty: 7 }), state))).toMatchObject({ _tag: 'InsufficientStock', requested: 7, available: 6 });
  });
});

describe('given 10 on hand and a held reservation of 4', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }));

  it('holds the remaining 6 under another reservation id', () => {
    expect(eventsOf(decide(reserve({ reservationId: r2, qty: 6 }), state))).toMatchObject([
      { _tag: 'StockReserved', reservationId: r2, before: levels(10, 4), after: levels(10, 10) },
    ]);
  });

  it('refuses 7 under another reservation id, with available 6', () => {
    expect(refusalOf(decide(reserve({ reservationId: r2, qty: 7 }), state))).toMatchObject({
      _tag: 'InsufficientStock',
      requested: 7,
      available: 6,
    });
  });

  it('decides nothing for the same reservation id with the same terms (a retry under a new command id)', () => {
    expect(eventsOf(decide(reserve({ commandId: 'retry-1', reservationId: r1, qty: 4 }), state))).toStrictEqual([]);
  });

  it('decides nothing for the same terms with the default location named outright', () => {
    expect(eventsOf(decide(reserve({ commandId: 'retry-2', reservationId: r1, qty: 4, location: main }), state))).toStrictEqual([]);
  });

  it('refuses the same reservation id with another quantity as ReservationIdConflict', () => {
    expect(refusalOf(decide(reserve({ reservationId: r1, qty: 5 }), state))).toStrictEqual({
      _tag: 'ReservationIdConflict',
      sku,
      reservationId: r1,
    });
  });

  it('refuses the same reservation id at another location as ReservationIdConflict', () => {
    expect(refusalOf(decide(reserve({ reservationId: r1, qty: 4, location: cold }), state))).toMatchObject({
      _tag: 'ReservationIdConflict',
      reservationId: r1,
    });
  });

  it('keeps the existing hold untouched by a conflicting request', () => {
    expect(Option.map(findReservation(state, r1), (r) => r.qty)).toStrictEqual(Option.some(4));
  });
});

describe('given stock that was sold below what is held (onHand 2, reserved 4)', () => {
  const state = given(restocked(4), reserved(r1, 4), sold(2));

  it('reports available as 0, never negative', () => {
    expect(refusalOf(decide(reserve({ reservationId: r2, qty: 1 }), state))).toMatchObject({
      _tag: 'InsufficientStock',
      requested: 1,
      available: 0,
    });
  });
});

// The Idempotency-Key contract (DESIGN.md §6): a POST retried a day later reaches the owner with the
// same reservation id; the owner still remembers the closed hold, so the retry holds nothing.
describe('given a hold of 4 that expired, and a day of other events after it', () => {
  const day = 24 * 60 * 60;
  // Another hold closing a day later moves the memory of closed holds on (it rotates as holds close).
  const later = [reserved(r2, 1, { at: day }), released(r2, 1, 'cancelled', { at: day + 1 })] as const;
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }), expired(r1, 4, { at: 600 }), ...later);

  it('decides nothing for the same reservation id retried a day later', () => {
    expect(eventsOf(decide(reserve({ commandId: 'retry-next-day', reservationId: r1, qty: 4, at: day + 60 }), state))).toStrictEqual([]);
  });

  it('decides nothing for the same id retried a day later after a commit', () => {
    const paid = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }), committed(r1, 4, { at: 60 }), ...later);
    expect(eventsOf(decide(reserve({ commandId: 'retry-next-day', reservationId: r1, qty: 4, at: day + 60 }), paid))).toStrictEqual([]);
  });

  it('still holds under a new reservation id', () => {
    expect(eventsOf(decide(reserve({ commandId: 'new-cart', reservationId: ReservationId.make('res-3'), qty: 4, at: day + 60 }), state))).toHaveLength(1);
  });
});

// A refusal is recorded (moving nothing) so that the same hold asked again gets the same answer.
describe('given 3 units and a hold of 5 refused under r1', () => {
  const first = decide(reserve({ reservationId: r1, qty: 5 }), given(restocked(3)));
  const state = fold(given(restocked(3)), eventsOf(first));

  it('recorded the refusal: ReservationRefused with requested and available, levels unchanged', () => {
    expect(eventsOf(first)).toMatchObject([{ _tag: 'ReservationRefused', reason: 'insufficient_stock', reservationId: r1, requested: 5, available: 3, before: levels(3), after: levels(3) }]);
    expect(positionAt(state, main)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('names the customer the hold named, so lost demand counts each customer once', () => {
    const named = decide(reserve({ reservationId: r1, qty: 5, customerId: CustomerId.make('cus_42') }), given(restocked(3)));
    expect(eventsOf(named)).toMatchObject([{ _tag: 'ReservationRefused', reason: 'insufficient_stock', customerId: 'cus_42' }]);
    expect(eventsOf(first)[0]).not.toHaveProperty('customerId');
  });

  it('refuses r1 asked again the same way with the same answer, recording nothing more, even once stock is back', () => {
    const restockedSince = fold(state, eventsOf(decide(restock({ commandId: 'po-2', qty: 10 }), state)));
    expect(refusalOf(decide(reserve({ commandId: 'retry', reservationId: r1, qty: 5 }), restockedSince))).toStrictEqual({
      _tag: 'InsufficientStock',
      sku,
      location: main,
      requested: 5,
      available: 3,
    });
    expect(Either.isLeft(decide(reserve({ commandId: 'retry', reservationId: r1, qty: 5 }), restockedSince))).toBe(true);
  });

  it('refuses r1 asked with other terms as ReservationIdConflict', () => {
    expect(rejectionOf(decide(reserve({ commandId: 'other', reservationId: r1, qty: 2 }), state))).toStrictEqual({ _tag: 'ReservationIdConflict', sku, reservationId: r1 });
  });

  it('holds under another id', () => {
    expect(eventsOf(decide(reserve({ commandId: 'other', reservationId: r2, qty: 3 }), state))).toMatchObject([{ _tag: 'StockReserved', qty: 3 }]);
  });
});

describe('given a hold refused under r1 by command c-1', () => {
  const state = fold(given(restocked(3)), eventsOf(decide(reserve({ commandId: 'c-1', reservationId: r1, qty: 5 }), given(restocked(3)))));

  it('answers the same command retried (same command id) with the same refusal, recording nothing', () => {
    expect(decide(reserve({ commandId: 'c-1', reservationId: r1, qty: 5 }), state)).toStrictEqual(
      Either.left({ _tag: 'InsufficientStock', sku, location: main, requested: 5, available: 3 }),
    );
  });
});
