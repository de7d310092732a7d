// Specification of the restock suggestion for one SKU at one location (DESIGN.md §10 "Demand"): the
// figures the analyst's page shows, the status and its precedence, the order capped by shelf life,
// and the histories that give no velocity.
import { describe, expect, it } from '@effect/vitest';
import { Either, Schema } from 'effect';
import { RestockInput, restockStatus, restockSuggestion, RestockSuggestion, Units } from '../../src/index.js';
import { constant, input, sold, soldOut, today } from './DemandFixtures.js';

const units = (n: number) => Units.make(n);

describe('given a constant 10 a day for 90 days, a lead time of 14 days and a 95% service level', () => {
  const s = restockSuggestion(input(constant(10, 90), { onHand: units(300), reserved: units(20) }));

  it('sells 10 a day with σ 0, so the reorder point is the lead-time demand, 140', () => {
    expect(s).toMatchObject({ dailyDemand: 10, sigma: 0, leadTimeDemand: 140, safetyStock: 0, reorderPoint: 140 });
    expect(s.policy.z).toBeCloseTo(1.6449, 4);
  });

  it('has 280 available, 28 days of cover, and reaches the reorder point on today + 14', () => {
    expect(s).toMatchObject({ available: 280, daysOfCover: 28, replenishBy: '2027-03-15', status: 'good' });
  });

  it('orders nothing: 280 is above the target of (14 + 7) × 10 = 210', () => {
    expect(s).toMatchObject({ orderUpTo: 210, uncappedQuantity: 0, suggestedQuantity: 0, cappedBy: null, shelfLifeCap: null });
  });

  it('fills in the policy defaults it applied', () => {
    expect(s.policy).toMatchObject({ leadTimeDays: 14, reviewDays: 7, serviceLevel: 0.95, shelfLifeDays: null, excessDays: 90 });
    expect(s.explain).toEqual({ historyDays: 90, daysUsed: 90, soldOutDaysLeftOut: 0, dropDaysCounted: 0, lostDemandUnits: 0 });
  });

  it('is critical at 140 available, ordering up to 210: 70 units, replenish by today', () => {
    const low = restockSuggestion(input(constant(10, 90), { onHand: units(140) }));
    expect(low).toMatchObject({ status: 'critical', replenishBy: today, suggestedQuantity: 70 });
  });

  it('is excess beyond 90 days of cover (910 available)', () => {
    expect(restockSuggestion(input(constant(10, 90), { onHand: units(910) })).status).toBe('excess');
    expect(restockSuggestion(input(constant(10, 90), { onHand: units(900) })).status).toBe('good');
  });

  it('is the same suggestion with a 3-day stockout in the history (only the explanation differs)', () => {
    const days = [...constant(10, 40), soldOut, soldOut, soldOut, ...constant(10, 47)];
    const withStockout = restockSuggestion(input(days, { onHand: units(300), reserved: units(20) }));
    expect({ ...withStockout, explain: s.explain }).toEqual(s);
    expect(withStockout.explain).toMatchObject({ daysUsed: 87, soldOutDaysLeftOut: 3 });
  });
});

describe('given varying sales (σ > 0)', () => {
  const days = [8, 12, 10, 9, 11, 14, 7, 10, 13, 6, 10, 12, 9, 11, 8].map(sold);
  const s = restockSuggestion(input(days, { onHand: units(500) }));

  it('keeps Z × σ × √LT of safety stock above the lead-time demand', () => {
    expect(s.sigma).toBeGreaterThan(0);
    expect(s.safetyStock).toBeCloseTo(s.policy.z * s.sigma * Math.sqrt(14), 10);
    expect(s.reorderPoint).toBeCloseTo(s.leadTimeDemand + s.safetyStock, 10);
  });

  it('is order_now between the lead-time demand and the reorder point', () => {
    const between = Math.floor(s.reorderPoint);
    expect(between).toBeGreaterThan(s.leadTimeDemand);
    expect(restockSuggestion(input(days, { onHand: units(between) })).status).toBe('order_now');
    expect(restockSuggestion(input(days, { onHand: units(Math.ceil(s.reorderPoint)) })).status).toBe('good');
  });
});

describe('given the status figures', () => {
  // 10 a day, σ 3, LT 14, Z 1.65: lead-time demand 140, reorder point 158.52.
  const f = { daysUsed: 90, dailyDemand: 10, leadTimeDemand: 140, reorderPoint: 158.52, excessDays: 90 };
  const at = (available: number) => restockStatus({ ...f, available, daysOfCover: available / 10 });

  it('is critical at or below the lead-time demand, before order_now', () => {
    expect(at(140)).toBe('critical');
    expect(at(0)).toBe('critical');
  });

  it('is order_now above it and at or below the reorder point', () => {
    expect(at(141)).toBe('order_now');
    expect(at(158)).toBe('order_now');
  });

  it('is good above the reorder point, excess beyond the excess days of cover', () => {
    expect(at(159)).toBe('good');
    expect(at(900)).toBe('good');
    expect(at(901)).toBe('excess');
  });
});

describe('given 180 days of sellable shelf life at 10 a day and 300 on hand', () => {
  it('caps a target of (150 + 60) × 10 = 2,100 at 1,800 − 300 = 1,500 units, by shelf life', () => {
    const s = restockSuggestion(input(constant(10, 90), { onHand: units(300), leadTimeDays: 150, reviewDays: 60, shelfLifeDays: 180 }));
    expect(s).toMatchObject({ orderUpTo: 2100, uncappedQuantity: 1800, shelfLifeCap: 1500, suggestedQuantity: 1500, cappedBy: 'shelfLife' });
  });

  it('does not cap an order that sells in time (210 − 100 on hand = 110, under the cap of 1,700)', () => {
    const s = restockSuggestion(input(constant(10, 90), { onHand: units(100), shelfLifeDays: 180 }));
    expect(s).toMatchObject({ uncappedQuantity: 110, shelfLifeCap: 1700, suggestedQuantity: 110, cappedBy: null });
  });

  it('orders nothing when what is on hand already fills the shelf life', () => {
    const s = restockSuggestion(input(constant(10, 90), { onHand: units(1900), leadTimeDays: 200, shelfLifeDays: 180 }));
    expect(s).toMatchObject({ shelfLifeCap: 0, suggestedQuantity: 0, cappedBy: 'shelfLife' });
  });

  it('takes the shelf life as the excess threshold when shorter than 90 days', () => {
    const s = restockSuggestion(input(constant(10, 90), { onHand: units(700), shelfLifeDays: 60 }));
    expect(s.policy.excessDays).toBe(60);
    expect(s.status).toBe('excess');
  });
});

describe('given a SKU never sold (90 sellable days of 0)', () => {
  const never = constant(0, 90);

  it('has no velocity, no cover and no replenish-by date, and orders nothing', () => {
    const s = restockSuggestion(input(never, { onHand: units(50), shelfLifeDays: 180 }));
    expect(s).toMatchObject({ dailyDemand: 0, sigma: 0, reorderPoint: 0, daysOfCover: null, replenishBy: null });
    expect(s).toMatchObject({ suggestedQuantity: 0, shelfLifeCap: 0, cappedBy: null });
  });

  it('is excess while it has stock (none of it sells) and good with none', () => {
    expect(restockSuggestion(input(never, { onHand: units(50) })).status).toBe('excess');
    expect(restockSuggestion(input(never, { onHand: units(0) })).status).toBe('good');
  });
});

describe('given no day that shows demand', () => {
  it('is no_history for an empty history, with every figure finite and nothing ordered', () => {
    const s = restockSuggestion(input([], { onHand: units(0) }));
    expect(s).toMatchObject({ status: 'no_history', dailyDemand: 0, daysOfCover: null, replenishBy: null, suggestedQuantity: 0 });
    for (const n of [s.dailyDemand, s.sigma, s.reorderPoint, s.orderUpTo, s.safetyStock]) expect(Number.isFinite(n)).toBe(true);
  });

  it('is no_history when sold out throughout, saying so', () => {
    const s = restockSuggestion(input(Array.from({ length: 90 }, () => soldOut), { onHand: units(0) }));
    expect(s.status).toBe('no_history');
    expect(s.explain).toMatchObject({ historyDays: 90, daysUsed: 0, soldOutDaysLeftOut: 90 });
  });
});

describe('given a velocity so low the reorder point is decades away', () => {
  it('gives no replenish-by date rather than one past ten years', () => {
    const s = restockSuggestion(input([sold(1), ...constant(0, 89)], { onHand: units(1_000_000) }));
    expect(s.dailyDemand).toBeGreaterThan(0);
    expect(s.replenishBy).toBeNull();
  });
});

describe('the input and answer schemas', () => {
  it('decode a JSON request and encode the answer', () => {
    const body = {
      sku: 'JERKY-TERIYAKI',
      location: 'main',
      today: '2027-03-01',
      days: [{ date: '2027-02-28', sold: 10, sellable: true, lostDemand: 0 }],
      onHand: 300,
      reserved: 0,
      leadTimeDays: 14,
      serviceLevel: 0.95,
      shelfLifeDays: 180,
    };
    const decoded = Schema.decodeUnknownEither(RestockInput)(body);
    expect(Either.isRight(decoded)).toBe(true);
    if (Either.isRight(decoded)) {
      const answer = Schema.encodeEither(RestockSuggestion)(restockSuggestion(decoded.right));
      expect(Either.isRight(answer)).toBe(true);
    }
  });

  it('refuse a service level of 1 (Z would be infinite) and a date without a year', () => {
    const body = { sku: 'S', location: 'main', today: '2027-03-01', days: [], onHand: 0, reserved: 0, leadTimeDays: 14 };
    expect(Either.isLeft(Schema.decodeUnknownEither(RestockInput)({ ...body, serviceLevel: 1 }))).toBe(true);
    expect(Either.isLeft(Schema.decodeUnknownEither(RestockInput)({ ...body, serviceLevel: 0.95, today: '03-01' }))).toBe(true);
  });
});
