// Specification of CommitReservation (payment captured): a held, unexpired hold leaves the shelf,
// taking its units off both onHand and reserved; every other state of the hold answers truthfully.
import { describe, expect, it } from '@effect/vitest';
import { Option } from 'effect';
import { decide, findReservation, fold, positionAt } from '../../src/index.js';
import {
  after,
  commit,
  committed,
  eventsOf,
  expired,
  given,
  levels,
  main,
  purchaseOrder,
  r1,
  r2,
  rejectionOf,
  released,
  reserved,
  restocked,
  shop,
  sku,
  t0,
  whenId,
} from '../Fixtures.js';

describe('given a held reservation of 4 out of 10 (expires at t0 + 600 s)', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }));

  it('commits it: onHand and reserved both drop by 4', () => {
    expect(eventsOf(decide(commit({ at: 60, reference: purchaseOrder }), state))).toStrictEqual([
      {
        _tag: 'ReservationCommitted',
        commandId: whenId,
        actor: shop,
        at: after(60),
        sku,
        location: main,
        before: levels(10, 4),
        after: levels(6, 0),
        reference: purchaseOrder,
        reason: 'payment_captured',
        reservationId: r1,
        qty: 4,
      },
    ]);
  });

  it('carries no reference when the command has none', () => {
    expect(eventsOf(decide(commit({ at: 60 }), state))[0]).not.toHaveProperty('reference');
  });

  it('closes the hold as committed at the time of the commit', () => {
    const next = fold(state, eventsOf(decide(commit({ at: 60 }), state)));
    expect(positionAt(next, main)).toMatchObject({ onHand: 6, reserved: 0 });
    expect(Option.map(findReservation(next, r1), (r) => [r.status, r.closedAt])).toStrictEqual(Option.some(['committed', after(60)]));
  });

  it('commits one second before expiresAt', () => {
    expect(eventsOf(decide(commit({ at: 599 }), state))).toMatchObject([{ _tag: 'ReservationCommitted' }]);
  });

  it('refuses at exactly expiresAt with ReservationAlreadyExpired, although the timer has not fired', () => {
    expect(rejectionOf(decide(commit({ at: 600 }), state))).toStrictEqual({
      _tag: 'ReservationAlreadyExpired',
      sku,
      reservationId: r1,
      expiresAt: after(600),
    });
  });

  it('refuses after expiresAt with ReservationAlreadyExpired', () => {
    expect(rejectionOf(decide(commit({ at: 3_600 }), state))).toMatchObject({ _tag: 'ReservationAlreadyExpired', expiresAt: after(600) });
  });

  it('refuses an unknown reservation id with UnknownReservation', () => {
    expect(rejectionOf(decide(commit({ reservationId: r2 }), state))).toStrictEqual({
      _tag: 'UnknownReservation',
      sku,
      reservationId: r2,
    });
  });
});

describe('given a committed reservation', () => {
  const state = given(restocked(10), reserved(r1, 4), committed(r1, 4, { at: 30 }));

  it('decides nothing for a second commit under a new command id', () => {
    expect(eventsOf(decide(commit({ commandId: 'commit-again', at: 60 }), state))).toStrictEqual([]);
  });

  it('decides nothing even after the hold would have expired', () => {
    expect(eventsOf(decide(commit({ commandId: 'commit-late', at: 3_000 }), state))).toStrictEqual([]);
  });
});

describe('given a released reservation', () => {
  const state = given(restocked(10), reserved(r1, 4), released(r1, 4, 'payment_failed', { at: 30 }));

  it('refuses with ReservationAlreadyReleased', () => {
    expect(rejectionOf(decide(commit({ at: 60 }), state))).toStrictEqual({
      _tag: 'ReservationAlreadyReleased',
      sku,
      reservationId: r1,
    });
  });
});

describe('given an expired reservation', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }), expired(r1, 4, { at: 600 }));

  it('refuses with ReservationAlreadyExpired and the expiry time', () => {
    expect(rejectionOf(decide(commit({ at: 700 }), state))).toStrictEqual({
      _tag: 'ReservationAlreadyExpired',
      sku,
      reservationId: r1,
      expiresAt: after(600),
    });
  });
});

describe('given no reservation at all', () => {
  it('refuses with UnknownReservation', () => {
    expect(rejectionOf(decide(commit(), given(restocked(10))))).toStrictEqual({ _tag: 'UnknownReservation', sku, reservationId: r1 });
  });
});

describe('given two holds at one location', () => {
  const state = given(restocked(10), reserved(r1, 4), reserved(r2, 5, { at: 1 }));

  it('commits only the named one', () => {
    expect(eventsOf(decide(commit({ reservationId: r2, at: 2 }), state))).toMatchObject([
      { reservationId: r2, qty: 5, before: levels(10, 9), after: levels(5, 4), at: t0 + 2_000 },
    ]);
  });
});
