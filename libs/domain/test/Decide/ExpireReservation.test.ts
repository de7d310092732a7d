// Specification of ExpireReservation, sent by the actor's own timer: on or after expiresAt a held
// hold gives its units back; before it the timer is told to try later; a closed hold stays closed.
import { describe, expect, it } from '@effect/vitest';
import { Option } from 'effect';
import { decide, findReservation, fold, positionAt } from '../../src/index.js';
import {
  after,
  committed,
  eventsOf,
  expire,
  expired,
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
  sku,
  timer,
  whenId,
} from '../Fixtures.js';

describe('given a held reservation of 4 out of 10 (expires at t0 + 600 s)', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }));

  it('refuses one second early with ExpiryNotDue and the expiry time', () => {
    expect(rejectionOf(decide(expire({ at: 599 }), state))).toStrictEqual({
      _tag: 'ExpiryNotDue',
      sku,
      reservationId: r1,
      expiresAt: after(600),
    });
  });

  it('expires it at exactly expiresAt: reserved drops, onHand stays', () => {
    expect(eventsOf(decide(expire({ at: 600 }), state))).toStrictEqual([
      {
        _tag: 'ReservationExpired',
        commandId: whenId,
        actor: timer,
        at: after(600),
        sku,
        location: main,
        before: levels(10, 4),
        after: levels(10, 0),
        reason: 'expired',
        reservationId: r1,
        qty: 4,
      },
    ]);
  });

  it('expires it late, at the time the timer fired', () => {
    const events = eventsOf(decide(expire({ at: 3_600 }), state));
    expect(events).toMatchObject([{ _tag: 'ReservationExpired', at: after(3_600) }]);
    const next = fold(state, events);
    expect(positionAt(next, main)).toMatchObject({ onHand: 10, reserved: 0 });
    expect(Option.map(findReservation(next, r1), (r) => [r.status, r.closedAt])).toStrictEqual(Option.some(['expired', after(3_600)]));
  });

  it('refuses an unknown reservation id with UnknownReservation', () => {
    expect(rejectionOf(decide(expire({ reservationId: r2, at: 600 }), state))).toStrictEqual({
      _tag: 'UnknownReservation',
      sku,
      reservationId: r2,
    });
  });
});

describe('given a held reservation extended to t0 + 1200 s', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }), extended(r1, 600, 1_200, { at: 300 }));

  it('is not due at the first expiry', () => {
    expect(rejectionOf(decide(expire({ at: 600 }), state))).toMatchObject({ _tag: 'ExpiryNotDue', expiresAt: after(1_200) });
  });

  it('expires at the new expiry', () => {
    expect(eventsOf(decide(expire({ at: 1_200 }), state))).toMatchObject([{ _tag: 'ReservationExpired', qty: 4 }]);
  });
});

describe.each([
  ['a committed reservation', committed(r1, 4, { at: 10 })],
  ['a released reservation', released(r1, 4, 'cancelled', { at: 10 })],
  ['an expired reservation', expired(r1, 4, { at: 600 })],
])('given %s', (_, closing) => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }), closing);

  it('decides nothing, before or after the expiry', () => {
    expect(eventsOf(decide(expire({ at: 100 }), state))).toStrictEqual([]);
    expect(eventsOf(decide(expire({ at: 700 }), state))).toStrictEqual([]);
  });
});
