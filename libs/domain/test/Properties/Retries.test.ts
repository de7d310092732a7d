// Property of DESIGN.md §5 "a retried command has exactly one effect": any accepted command sent again
// with the same command id, at any later point within CommandMemoryMs, decides nothing.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { Either } from 'effect';
import { CommandMemoryMs, decide } from '../../src/index.js';
import { eventsOf } from '../Fixtures.js';
import { commandsOf, live, runs, scenario, startState } from '../Scenarios.js';

/** The rejection a recorded refusal is heard as again. */
const refusalTags = {
  insufficient_stock: 'InsufficientStock',
  drop_not_open: 'DropNotOpen',
  drop_closed: 'DropAlreadyClosed',
  limit_exceeded: 'LimitExceeded',
} as const;

describe('given any sequence of commands', () => {
  it('records nothing more for a command sent again later with the same id (a refused hold hears its refusal again)', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        const turns = live(startState(), commandsOf(s));
        turns.forEach((first, i) => {
          if (first.events.length === 0) return;
          for (const later of turns.slice(i)) {
            // The memory is kept in event time: a key lasts at least CommandMemoryMs after it was seen.
            if (later.command.now - first.command.now > CommandMemoryMs) break;
            const again = decide({ ...first.command, now: later.command.now }, later.after);
            const refused = first.events.find((e) => e._tag === 'ReservationRefused');
            if (refused?._tag === 'ReservationRefused') expect(Either.isLeft(again) && again.left._tag).toBe(refusalTags[refused.reason]);
            else expect(eventsOf(again)).toStrictEqual([]);
          }
        });
      }),
      runs,
    );
  });
});
