// Properties of the audit ledger: every event names its command, actor and time, its `before` is the
// state it was applied to and its `after` the state it left; and the units reconcile with onHand.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { evolve, type Event, type LocationId } from '../../src/index.js';
import { levelsAt } from '../Fixtures.js';
import { commandsOf, lastState, live, locations, runs, scenario, startState } from '../Scenarios.js';

/** The change of onHand an event records, from its own quantities. */
const onHandChange = (event: Event): number => {
  switch (event._tag) {
    case 'StockRestocked':
      return event.qty;
    case 'ReturnReceived':
      return event.restockable ? event.qty : 0;
    case 'StockAdjusted':
      return event.delta;
    case 'StockCounted':
      return event.difference;
    case 'ReservationCommitted':
    case 'SaleRecorded':
      return -event.qty;
    default:
      return 0;
  }
};

describe('given any sequence of commands', () => {
  it('stamps every event with its command id, actor, time and SKU, and before/after levels that match the state', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          let state = turn.before;
          for (const event of turn.events) {
            expect([event.commandId, event.actor, event.at, event.sku]).toStrictEqual([
              turn.command.commandId,
              turn.command.actor,
              turn.command.now,
              turn.command.sku,
            ]);
            const next = evolve(state, event);
            expect(event.before).toStrictEqual(levelsAt(state, event.location));
            expect(event.after).toStrictEqual(levelsAt(next, event.location));
            state = next;
          }
        }
      }),
      runs,
    );
  });

  it('reconciles onHand with Σ restocks + Σ restocked returns + Σ deltas + Σ count differences − Σ commits − Σ sales, per location', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        const turns = live(startState(), commandsOf(s));
        const events = turns.flatMap((t) => t.events);
        const final = lastState(startState(), turns);
        const sumAt = (location: LocationId) => events.filter((e) => e.location === location).reduce((sum, e) => sum + onHandChange(e), 0);
        for (const location of locations) expect(levelsAt(final, location).onHand).toBe(sumAt(location));
      }),
      runs,
    );
  });
});
