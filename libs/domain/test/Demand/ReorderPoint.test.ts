// Specification of the reorder point and the order-up-to target with demand, σ and Z given (the
// figures of the issue): ROP = LT × D + Z × σ × √LT.
import { describe, expect, it } from '@effect/vitest';
import { orderUpTo, reorderPoint, safetyStock } from '../../src/index.js';

describe('given 10 a day with σ 3, a lead time of 14 days and Z 1.65', () => {
  const given = { dailyDemand: 10, sigma: 3, leadTimeDays: 14, z: 1.65 };

  it('reorders at 14 × 10 + 1.65 × 3 × √14 ≈ 158.52', () => {
    expect(reorderPoint(given)).toBeCloseTo(158.52, 2);
  });

  it('keeps 1.65 × 3 × √14 ≈ 18.52 units of safety stock', () => {
    expect(safetyStock(given)).toBeCloseTo(18.52, 2);
  });

  it('orders up to 21 × 10 + 1.65 × 3 × √21 ≈ 232.68 with a 7-day review', () => {
    expect(orderUpTo({ ...given, reviewDays: 7 })).toBeCloseTo(232.68, 2);
  });
});

describe('given no variability (σ 0)', () => {
  it('reorders at exactly the lead-time demand', () => {
    expect(reorderPoint({ dailyDemand: 10, sigma: 0, leadTimeDays: 14, z: 1.645 })).toBe(140);
  });
});

describe('given a lead time of 0 days', () => {
  it('reorders only at 0', () => {
    expect(reorderPoint({ dailyDemand: 10, sigma: 3, leadTimeDays: 0, z: 1.645 })).toBe(0);
  });
});
