// Guards the properties against being vacuous: the random scenarios reach every event and every
// rejection of the decider, duplicates and expiries included.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { Either } from 'effect';
import type { EventTag, RejectionTag } from '../../src/index.js';
import { commandsOf, live, scenario, startState } from '../Scenarios.js';

// Records keyed by every tag: the compiler fails this file when an event or a rejection is added.
const events: Record<EventTag, true> = {
  StockReserved: true,
  ReservationRefused: true,
  ReservationCommitted: true,
  ReservationReleased: true,
  ReservationExtended: true,
  ReservationExpired: true,
  SaleRecorded: true,
  ShortfallRecorded: true,
  StockRestocked: true,
  StockAdjusted: true,
  StockCounted: true,
  ReturnReceived: true,
  StockPolicySet: true,
  DropAllocated: true,
  DropWithdrawn: true,
  DropOpened: true,
  DropSoldOut: true,
  DropClosed: true,
  LotQuarantined: true,
  LotReleased: true,
  LotExpiring: true,
  LotRemovedFromSale: true,
};
const rejections: Record<RejectionTag, true> = {
  InsufficientStock: true,
  UnknownReservation: true,
  ReservationAlreadyExpired: true,
  ReservationAlreadyReleased: true,
  ReservationAlreadyCommitted: true,
  ReservationIdConflict: true,
  ExpiryNotDue: true,
  DropNotOpen: true,
  DropAlreadyClosed: true,
  LimitExceeded: true,
  NotInDrop: true,
  CustomerRequired: true,
  DropChangeRefused: true,
  CountStale: true,
  LotMismatch: true,
  UnknownLot: true,
};

describe('given 1,000 sampled scenarios', () => {
  it('reaches every event and every rejection, and retries that decide nothing', () => {
    const seen = new Set<string>();
    for (const s of fc.sample(scenario(), { numRuns: 1_000, seed: 42 })) {
      for (const turn of live(startState(), commandsOf(s))) {
        Either.match(turn.decision, {
          onLeft: (rejection) => seen.add(rejection._tag),
          onRight: (events) => (events.length === 0 ? seen.add('nothing') : events.forEach((e) => seen.add(e._tag))),
        });
      }
    }
    expect([...seen].sort()).toStrictEqual([...Object.keys(events), ...Object.keys(rejections), 'nothing'].sort());
  });
});
