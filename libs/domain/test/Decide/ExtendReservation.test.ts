// Specification of ExtendReservation: a held, unexpired hold gets a new expiry of now + ttl (moving
// no units); a hold that is closed or already past its expiry is refused with the reason.
import { describe, expect, it } from '@effect/vitest';
import { HashMap, Option } from 'effect';
import { decide, fold } from '../../src/index.js';
import {
  after,
  commit,
  committed,
  eventsOf,
  expired,
  extend,
  extended,
  given,
  levels,
  main,
  r1,
  r2,
  rejectionOf,
  released,
  reserved,
  restocked,
  shop,
  sku,
  whenId,
} from '../Fixtures.js';

describe('given a held reservation of 4 out of 10 (expires at t0 + 600 s)', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }));

  it('moves expiresAt to now + ttl, naming the previous expiry, and moves no units', () => {
    expect(eventsOf(decide(extend({ at: 300, ttlSeconds: 900 }), state))).toStrictEqual([
      {
        _tag: 'ReservationExtended',
        commandId: whenId,
        actor: shop,
        at: after(300),
        sku,
        location: main,
        before: levels(10, 4),
        after: levels(10, 4),
        reason: 'extended',
        reservationId: r1,
        previousExpiresAt: after(600),
        expiresAt: after(1_200),
      },
    ]);
  });

  it('lets the hold be committed after its first expiry once extended', () => {
    const next = fold(state, eventsOf(decide(extend({ at: 300, ttlSeconds: 900 }), state)));
    expect(Option.map(HashMap.get(next.open, r1), (r) => r.expiresAt)).toStrictEqual(Option.some(after(1_200)));
    expect(eventsOf(decide(commit({ commandId: 'commit-1', at: 1_000 }), next))).toMatchObject([{ _tag: 'ReservationCommitted' }]);
  });

  it('refuses at exactly expiresAt with ReservationAlreadyExpired', () => {
    expect(rejectionOf(decide(extend({ at: 600 }), state))).toStrictEqual({
      _tag: 'ReservationAlreadyExpired',
      sku,
      reservationId: r1,
      expiresAt: after(600),
    });
  });

  it('refuses an unknown reservation id with UnknownReservation', () => {
    expect(rejectionOf(decide(extend({ reservationId: r2 }), state))).toStrictEqual({ _tag: 'UnknownReservation', sku, reservationId: r2 });
  });
});

describe('given a hold extended once (expires at t0 + 1200 s)', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }), extended(r1, 600, 1_200, { at: 300 }));

  it('never shortens the hold: a ttl ending before the current expiry keeps it', () => {
    expect(eventsOf(decide(extend({ at: 1_100, ttlSeconds: 60 }), state))).toMatchObject([
      { previousExpiresAt: after(1_200), expiresAt: after(1_200) },
    ]);
  });

  it('extends from now when that ends later', () => {
    expect(eventsOf(decide(extend({ at: 1_100, ttlSeconds: 600 }), state))).toMatchObject([
      { previousExpiresAt: after(1_200), expiresAt: after(1_700) },
    ]);
  });
});

describe('given an expired reservation', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }), expired(r1, 4, { at: 600 }));

  it('refuses with ReservationAlreadyExpired', () => {
    expect(rejectionOf(decide(extend({ at: 650 }), state))).toMatchObject({ _tag: 'ReservationAlreadyExpired', expiresAt: after(600) });
  });
});

describe('given a committed reservation', () => {
  const state = given(restocked(10), reserved(r1, 4), committed(r1, 4, { at: 10 }));

  it('refuses with ReservationAlreadyCommitted', () => {
    expect(rejectionOf(decide(extend({ at: 20 }), state))).toStrictEqual({ _tag: 'ReservationAlreadyCommitted', sku, reservationId: r1 });
  });
});

describe('given a released reservation', () => {
  const state = given(restocked(10), reserved(r1, 4), released(r1, 4, 'cancelled', { at: 10 }));

  it('refuses with ReservationAlreadyReleased', () => {
    expect(rejectionOf(decide(extend({ at: 20 }), state))).toStrictEqual({ _tag: 'ReservationAlreadyReleased', sku, reservationId: r1 });
  });
});
