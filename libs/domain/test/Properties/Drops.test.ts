// Properties of drops (DESIGN.md §10) over random interleavings of drop and plain holds, releases,
// expiries, commits, restocks, allocations, edits, withdrawals and closes: no customer ever above the
// limit, no allocated unit sold outside its drop, and the books of every drop and location agree.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { HashMap } from 'effect';
import { available, countOf, findDrop, remainingOf, type SkuState } from '../../src/index.js';
import { levelsAt } from '../Fixtures.js';
import { commandsOf, dropIds, live, locations, noLossAction, runs, scenario, startState } from '../Scenarios.js';

const openDropHolds = (state: SkuState, dropId: string): number =>
  HashMap.reduce(state.open, 0, (sum, r) => (r.dropId === dropId ? sum + r.qty : sum));

describe('given any sequence of commands, drops included', () => {
  it('never lets a customer hold or buy more than the limit in a drop', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          for (const event of turn.events) {
            if (event._tag !== 'StockReserved' || event.dropId === undefined || event.customerId === undefined) continue;
            const drop = findDrop(turn.after, event.dropId);
            expect(drop).toBeDefined();
            if (drop !== undefined) expect(countOf(drop, event.customerId)).toBeLessThanOrEqual(drop.limitPerCustomer);
          }
        }
      }),
      runs,
    );
  });

  it('never lets a hold outside a drop take allocated units', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          for (const event of turn.events) {
            if (event._tag !== 'StockReserved' || event.dropId !== undefined) continue;
            const { onHand, reserved, safetyStock, allocated } = event.before;
            expect(event.qty).toBeLessThanOrEqual(onHand - reserved - safetyStock - (allocated ?? 0));
          }
        }
      }),
      runs,
    );
  });

  it('keeps every drop’s books: allocated = Σ unsold allocations, held = its open holds, Σ customers = held + committed ≤ allocation', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          const state = turn.after;
          for (const location of locations) {
            const ringFenced = Object.values(state.drops).reduce((sum, d) => (d.location === location ? sum + remainingOf(d) : sum), 0);
            expect(levelsAt(state, location).allocated ?? 0).toBe(ringFenced);
          }
          for (const id of dropIds) {
            const drop = findDrop(state, id);
            if (drop === undefined) continue;
            expect(drop.held).toBe(openDropHolds(state, id));
            expect(HashMap.reduce(drop.customers, 0, (sum, n) => sum + n)).toBe(drop.held + drop.committed);
            expect(drop.held + drop.committed).toBeLessThanOrEqual(drop.allocation);
            expect(drop.refusedUnits).toBe(HashMap.reduce(drop.refusedCustomers, 0, (sum, n) => sum + n));
          }
        }
      }),
      runs,
    );
  });
});

describe('given sequences without sales or negative adjustments', () => {
  it('keeps on hand = allocation left + general available + held + safety stock + units out of sale (and allocations and holds always backed)', () => {
    fc.assert(
      fc.property(scenario(noLossAction), (s) => {
        for (const turn of live(startState(), commandsOf(s))) {
          for (const location of locations) {
            const levels = levelsAt(turn.after, location);
            const allocated = levels.allocated ?? 0;
            expect(allocated + levels.reserved).toBeLessThanOrEqual(levels.onHand);
            // Safety stock raised above what was free leaves general availability at 0 (never negative).
            const general = available(levels);
            if (general > 0) expect(allocated + general + levels.reserved + levels.safetyStock + (levels.blocked ?? 0)).toBe(levels.onHand);
          }
        }
      }),
      runs,
    );
  });
});
