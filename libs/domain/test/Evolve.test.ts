// Unit tests of evolve: it recomputes every movement from the event's own quantities (never from its
// `after`), counts the version, and remembers the command id and closed holds.
import { describe, expect, it } from '@effect/vitest';
import { Option } from 'effect';
import { CommandId, evolve, findReservation, hasSeen, positionAt, Quantity, type Event } from '../src/index.js';
import { after, given, levels, main, r1, reserved, restocked, sku, timer } from './Fixtures.js';

describe('given 10 on hand and a held reservation of 4', () => {
  const state = given(restocked(10), reserved(r1, 4, { ttlSeconds: 600 }));

  it('has counted two events and remembers both command ids', () => {
    expect(state.version).toBe(2);
    expect(hasSeen(state, CommandId.make('given-1'))).toBe(true);
    expect(hasSeen(state, CommandId.make('given-2'))).toBe(true);
    expect(hasSeen(state, CommandId.make('given-3'))).toBe(false);
  });

  it('applies an expiry from its quantity, whatever levels the event claims', () => {
    const lying: Event = {
      _tag: 'ReservationExpired',
      commandId: CommandId.make('expire-1'),
      actor: timer,
      at: after(600),
      sku,
      location: main,
      before: levels(99, 99),
      after: levels(77, 77),
      reason: 'expired',
      reservationId: r1,
      qty: Quantity.make(4),
    };
    const next = evolve(state, lying);
    expect(positionAt(next, main)).toMatchObject({ onHand: 10, reserved: 0 });
    expect(next.version).toBe(3);
    expect(hasSeen(next, CommandId.make('expire-1'))).toBe(true);
    expect(Option.map(findReservation(next, r1), (r) => [r.status, r.closedAt])).toStrictEqual(Option.some(['expired', after(600)]));
  });
});
