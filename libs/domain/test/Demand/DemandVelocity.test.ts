// Specification of velocity: the exponentially weighted mean and standard deviation of daily demand
// over the days that show it — sold-out days left out (not counted as 0), drop days counted with the
// demand they refused — and the daily history's schema.
import { describe, expect, it } from '@effect/vitest';
import { Either, Schema } from 'effect';
import { alphaForHalfLife, DefaultAlpha, DemandHistory, demandVelocity } from '../../src/index.js';
import { constant, history, sold, soldOut, type Day } from './DemandFixtures.js';

/** The textbook formulas, summed directly, newest day weight 1: an oracle for the incremental update. */
const direct = (xs: ReadonlyArray<number>, alpha: number) => {
  const w = xs.map((_, i) => (1 - alpha) ** (xs.length - 1 - i));
  const v1 = w.reduce((a, b) => a + b, 0);
  const v2 = w.reduce((a, b) => a + b * b, 0);
  const mean = xs.reduce((a, x, i) => a + (w[i] ?? 0) * x, 0) / v1;
  const ss = xs.reduce((a, x, i) => a + (w[i] ?? 0) * (x - mean) ** 2, 0);
  return { mean, sigma: Math.sqrt(ss / (v1 - v2 / v1)) };
};

const noisy: ReadonlyArray<Day> = [8, 12, 10, 9, 11, 14, 7, 10, 13, 6, 10, 12, 9, 11, 8].map(sold);

describe('given a constant 10 a day', () => {
  it('has a velocity of exactly 10 and σ exactly 0', () => {
    const v = demandVelocity(history(constant(10, 90)));
    expect(v.dailyDemand).toBe(10);
    expect(v.sigma).toBe(0);
    expect(v.daysUsed).toBe(90);
  });
});

describe('given varying sales', () => {
  it('weights the newest day 1 and each older one (1 − alpha) times the next', () => {
    const xs = noisy.map((d) => d.sold);
    const v = demandVelocity(history(noisy), 0.2);
    const oracle = direct(xs, 0.2);
    expect(v.dailyDemand).toBeCloseTo(oracle.mean, 10);
    expect(v.sigma).toBeCloseTo(oracle.sigma, 10);
  });

  it('agrees with pandas ewm(alpha=0.5).mean()/.std() on [10, 20]: 16.667 and 7.071', () => {
    const v = demandVelocity(history([sold(10), sold(20)]), 0.5);
    expect(v.dailyDemand).toBeCloseTo(50 / 3, 10);
    expect(v.sigma).toBeCloseTo(Math.sqrt(50), 10);
  });

  it('tends to the plain mean and sample standard deviation as alpha tends to 0', () => {
    const v = demandVelocity(history([sold(8), sold(10), sold(12)]), 1e-9);
    expect(v.dailyDemand).toBeCloseTo(10, 6);
    expect(v.sigma).toBeCloseTo(2, 6);
  });

  it('is only the newest day with alpha 1 (σ 0: one day has no spread)', () => {
    const v = demandVelocity(history(noisy), 1);
    expect(v.dailyDemand).toBe(8);
    expect(v.sigma).toBe(0);
  });

  it('defaults to a half-life of 14 days of demand', () => {
    expect(DefaultAlpha).toBeCloseTo(0.0483, 4);
    expect((1 - alphaForHalfLife(14)) ** 14).toBeCloseTo(0.5, 12);
  });
});

describe('given a 3-day stockout in the middle of the history', () => {
  const withStockout = [...noisy.slice(0, 7), soldOut, soldOut, soldOut, ...noisy.slice(7)];

  it('has the same velocity and σ as the history without those days', () => {
    const v = demandVelocity(history(withStockout));
    const without = demandVelocity(history(noisy));
    expect(v.dailyDemand).toBe(without.dailyDemand);
    expect(v.sigma).toBe(without.sigma);
    expect(v).toMatchObject({ daysUsed: 15, soldOutDaysLeftOut: 3 });
  });

  it('is not lowered as it would be if the days counted as sellable days without sales', () => {
    const asZeros = [...noisy.slice(0, 7), sold(0), sold(0), sold(0), ...noisy.slice(7)];
    expect(demandVelocity(history(withStockout)).dailyDemand).toBeGreaterThan(demandVelocity(history(asZeros)).dailyDemand);
  });

  it('leaves out a sold-out day even if something sold before the shelf emptied', () => {
    const partly = [...noisy, { sold: 3, sellable: false }];
    expect(demandVelocity(history(partly)).dailyDemand).toBe(demandVelocity(history(noisy)).dailyDemand);
  });
});

describe('given a drop day that sold out and refused 40 units', () => {
  const base = constant(10, 20);
  const drop: Day = { sold: 10, sellable: false, lostDemand: 40 };

  it('counts the day as the 50 units of demand that were there', () => {
    const v = demandVelocity(history([...base, drop, sold(10)]));
    expect(v.dailyDemand).toBe(demandVelocity(history([...base, sold(50), sold(10)])).dailyDemand);
    expect(v).toMatchObject({ daysUsed: 22, soldOutDaysLeftOut: 0, dropDaysCounted: 1, lostDemandUnits: 40 });
  });

  it('raises the velocity above what the sales alone show', () => {
    const v = demandVelocity(history([...base, drop]));
    expect(v.dailyDemand).toBeGreaterThan(10);
    expect(v.sigma).toBeGreaterThan(0);
  });
});

describe('given no day that shows demand', () => {
  it('is 0 with σ 0 for an empty history', () => {
    expect(demandVelocity([])).toEqual({ dailyDemand: 0, sigma: 0, daysUsed: 0, soldOutDaysLeftOut: 0, dropDaysCounted: 0, lostDemandUnits: 0 });
  });

  it('is 0 with σ 0 when sold out throughout, every day left out', () => {
    expect(demandVelocity(history([soldOut, soldOut]))).toMatchObject({ dailyDemand: 0, sigma: 0, daysUsed: 0, soldOutDaysLeftOut: 2 });
  });
});

describe('the daily history schema', () => {
  const decode = Schema.decodeUnknownEither(DemandHistory);
  const day = (date: string) => ({ date, sold: 1, sellable: true, lostDemand: 0 });

  it('accepts days oldest first', () => {
    expect(Either.isRight(decode([day('2027-02-27'), day('2027-02-28')]))).toBe(true);
  });

  it('refuses days out of order or twice', () => {
    expect(Either.isLeft(decode([day('2027-02-28'), day('2027-02-27')]))).toBe(true);
    expect(Either.isLeft(decode([day('2027-02-28'), day('2027-02-28')]))).toBe(true);
  });

  it('refuses negative or fractional units', () => {
    expect(Either.isLeft(decode([{ ...day('2027-02-28'), sold: -1 }]))).toBe(true);
    expect(Either.isLeft(decode([{ ...day('2027-02-28'), lostDemand: 1.5 }]))).toBe(true);
  });
});
