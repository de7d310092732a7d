// Properties of DESIGN.md §5 "zero oversell": over random command sequences, a hold never takes more
// than was available, reserved stays the sum of open holds (never negative), and, without physical
// losses, reserved never exceeds onHand.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { HashMap } from 'effect';
import { available, evolve, findDrop, remainingOf, unheld, type SkuState } from '../../src/index.js';
import { levelsAt } from '../Fixtures.js';
import { commandsOf, live, locations, noLossAction, runs, scenario, startState } from '../Scenarios.js';

/** Units held by open holds at each location the state knows. */
const heldByOpenHolds = (state: SkuState, location: string): number =>
  HashMap.reduce(state.open, 0, (sum, r) => (r.location === location ? sum + r.qty : sum));

describe('given any sequence of commands', () => {
  it('accepts no hold beyond what was available, and each hold adds exactly its quantity to reserved', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          let state = turn.before;
          for (const event of turn.events) {
            const next = evolve(state, event);
            if (event._tag === 'StockReserved') {
              const before = levelsAt(state, event.location);
              // A drop's hold takes from its allocation (backed by physical units); any other from available stock only.
              const drop = event.dropId === undefined ? undefined : findDrop(state, event.dropId);
              expect(event.qty).toBeLessThanOrEqual(drop === undefined ? available(before) : Math.min(remainingOf(drop), unheld(before)));
              expect(levelsAt(next, event.location).reserved - before.reserved).toBe(event.qty);
            }
            state = next;
          }
        }
      }),
      runs,
    );
  });

  it('commits a hold only while it is held and before its expiresAt', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          for (const event of turn.events) {
            if (event._tag !== 'ReservationCommitted') continue;
            const hold = HashMap.get(turn.before.open, event.reservationId);
            expect(hold._tag).toBe('Some');
            if (hold._tag === 'Some') {
              expect(hold.value.status).toBe('held');
              expect(event.at).toBeLessThan(hold.value.expiresAt);
              expect(event.qty).toBe(hold.value.qty);
            }
          }
        }
      }),
      runs,
    );
  });

  it('keeps reserved equal to the open holds of each location, so never below 0', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          for (const location of locations) {
            const { reserved } = levelsAt(turn.after, location);
            expect(reserved).toBe(heldByOpenHolds(turn.after, location));
            expect(reserved).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      runs,
    );
  });
});

describe('given sequences without sales or negative adjustments', () => {
  it('never lets reserved exceed onHand − safety stock at the time of the hold, nor onHand ever', () => {
    fc.assert(
      fc.property(scenario(noLossAction), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          for (const location of locations) {
            const { onHand, reserved } = levelsAt(turn.after, location);
            expect(reserved).toBeLessThanOrEqual(onHand);
          }
          for (const event of turn.events) {
            if (event._tag === 'StockReserved') expect(event.after.reserved).toBeLessThanOrEqual(event.after.onHand - event.after.safetyStock);
          }
        }
      }),
      runs,
    );
  });
});
