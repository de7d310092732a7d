// Properties of the restock suggestion over random histories, stock and policies: the order is a whole
// number of units, never negative and never past the shelf-life cap; the status agrees with the
// figures; and sold-out days, wherever they fall, never change the velocity or the suggestion.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { restockSuggestion, Units } from '../../src/index.js';
import { input, today, type Day } from './DemandFixtures.js';

const dayArb: fc.Arbitrary<Day> = fc.oneof(
  fc.record({ sold: fc.nat({ max: 60 }) }),
  fc.record({ sold: fc.nat({ max: 5 }), sellable: fc.constant(false) }),
  fc.record({ sold: fc.nat({ max: 60 }), sellable: fc.boolean(), lostDemand: fc.nat({ max: 200 }) }),
);
const soldOutArb: fc.Arbitrary<Day> = fc.record({ sold: fc.nat({ max: 5 }), sellable: fc.constant(false) });

const policyArb = fc.record({
  onHand: fc.nat({ max: 5_000 }),
  reservedShare: fc.double({ min: 0, max: 1, noNaN: true }),
  leadTimeDays: fc.nat({ max: 120 }),
  reviewDays: fc.nat({ max: 30 }),
  serviceLevel: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
  alpha: fc.double({ min: 0.001, max: 1, noNaN: true }),
  shelfLifeDays: fc.option(fc.nat({ max: 400 }), { nil: undefined }),
});
type Policy = typeof policyArb extends fc.Arbitrary<infer P> ? P : never;

const ask = (days: ReadonlyArray<Day>, p: Policy) =>
  restockSuggestion(
    input(days, {
      onHand: Units.make(p.onHand),
      reserved: Units.make(Math.floor(p.onHand * p.reservedShare)),
      leadTimeDays: p.leadTimeDays,
      reviewDays: p.reviewDays,
      serviceLevel: p.serviceLevel,
      alpha: p.alpha,
      ...(p.shelfLifeDays === undefined ? {} : { shelfLifeDays: p.shelfLifeDays }),
    }),
  );

describe('given random histories, stock and policies', () => {
  it('suggests a whole, non-negative number of units, never past the shelf-life cap', () => {
    fc.assert(
      fc.property(fc.array(dayArb, { maxLength: 120 }), policyArb, (days, p) => {
        const s = ask(days, p);
        expect(Number.isInteger(s.suggestedQuantity)).toBe(true);
        expect(s.suggestedQuantity).toBeGreaterThanOrEqual(0);
        expect(s.suggestedQuantity).toBeLessThanOrEqual(s.uncappedQuantity);
        if (s.shelfLifeCap !== null) expect(s.suggestedQuantity).toBeLessThanOrEqual(s.shelfLifeCap);
        expect(s.cappedBy === 'shelfLife').toBe(s.suggestedQuantity < s.uncappedQuantity);
      }),
      { numRuns: 500 },
    );
  });

  it('gives finite figures, a replenish-by date not before today, and a status that agrees with them', () => {
    fc.assert(
      fc.property(fc.array(dayArb, { maxLength: 120 }), policyArb, (days, p) => {
        const s = ask(days, p);
        for (const n of [s.dailyDemand, s.sigma, s.reorderPoint, s.orderUpTo, s.safetyStock]) expect(Number.isFinite(n)).toBe(true);
        expect(s.reorderPoint).toBeGreaterThanOrEqual(s.leadTimeDemand);
        if (s.replenishBy !== null) expect(s.replenishBy >= today).toBe(true);
        if (s.status === 'critical') expect(s.available).toBeLessThanOrEqual(s.leadTimeDemand);
        if (s.status === 'order_now') expect(s.available).toBeLessThanOrEqual(s.reorderPoint);
        if (s.status === 'order_now' || s.status === 'critical') expect(s.replenishBy).toBe(today);
        if (s.status === 'no_history') expect(s.suggestedQuantity).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('never changes the velocity or the suggestion when sold-out days are inserted anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(dayArb, { maxLength: 90 }),
        fc.array(fc.tuple(fc.nat(), soldOutArb), { maxLength: 10 }),
        policyArb,
        (days, inserts, p) => {
          const more = [...days];
          for (const [at, day] of inserts) more.splice(at % (more.length + 1), 0, day);
          const before = ask(days, p);
          const after = ask(more, p);
          expect(after.dailyDemand).toBe(before.dailyDemand);
          expect(after.sigma).toBe(before.sigma);
          expect({ ...after, explain: before.explain }).toEqual(before);
          expect(after.explain.soldOutDaysLeftOut).toBe(before.explain.soldOutDaysLeftOut + inserts.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
