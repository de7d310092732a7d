// Specification of ReleaseReservation (cancelled, payment failed, …): a held hold gives its units back
// with the caller's reason; a hold already given back stays so; a committed one cannot be undone.
import { describe, expect, it } from '@effect/vitest';
import { Option } from 'effect';
import { decide, findReservation, fold, positionAt, ReleaseReasons } from '../../src/index.js';
import {
  after,
  committed,
  eventsOf,
  expired,
  given,
  levels,
  main,
  r1,
  r2,
  rejectionOf,
  release,
  released,
  reserved,
  restocked,
  shop,
  sku,
  whenId,
} from '../Fixtures.js';

describe('given a held reservation of 4 out of 10', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }));

  it.each(ReleaseReasons)('releases it with the reason %s: reserved drops, onHand stays', (reason) => {
    expect(eventsOf(decide(release({ reason, at: 30 }), state))).toStrictEqual([
      {
        _tag: 'ReservationReleased',
        commandId: whenId,
        actor: shop,
        at: after(30),
        sku,
        location: main,
        before: levels(10, 4),
        after: levels(10, 0),
        reason,
        reservationId: r1,
        qty: 4,
      },
    ]);
  });

  it('closes the hold as released', () => {
    const next = fold(state, eventsOf(decide(release({ at: 30 }), state)));
    expect(positionAt(next, main)).toMatchObject({ onHand: 10, reserved: 0 });
    expect(Option.map(findReservation(next, r1), (r) => r.status)).toStrictEqual(Option.some('released'));
  });

  it('still releases a hold past its expiresAt that the timer has not expired yet', () => {
    expect(eventsOf(decide(release({ at: 900, reason: 'abandoned' }), state))).toMatchObject([
      { _tag: 'ReservationReleased', reason: 'abandoned', after: levels(10, 0) },
    ]);
  });

  it('refuses an unknown reservation id with UnknownReservation', () => {
    expect(rejectionOf(decide(release({ reservationId: r2 }), state))).toStrictEqual({ _tag: 'UnknownReservation', sku, reservationId: r2 });
  });
});

describe('given a released reservation', () => {
  const state = given(restocked(10), reserved(r1, 4), released(r1, 4, 'cancelled', { at: 10 }));

  it('decides nothing for a second release, whatever its reason', () => {
    expect(eventsOf(decide(release({ commandId: 'release-again', reason: 'payment_failed', at: 20 }), state))).toStrictEqual([]);
  });
});

describe('given an expired reservation', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }), expired(r1, 4, { at: 600 }));

  it('decides nothing: the units are already free', () => {
    expect(eventsOf(decide(release({ at: 700 }), state))).toStrictEqual([]);
  });
});

describe('given a committed reservation', () => {
  const state = given(restocked(10), reserved(r1, 4), committed(r1, 4, { at: 10 }));

  it('refuses with ReservationAlreadyCommitted', () => {
    expect(rejectionOf(decide(release({ reason: 'compensation', at: 20 }), state))).toStrictEqual({
      _tag: 'ReservationAlreadyCommitted',
      sku,
      reservationId: r1,
    });
  });
});
