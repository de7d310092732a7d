// Specification of the standard normal quantile that turns a service level into Z: Acklam's
// approximation against tabulated values, in the centre and in both tails.
import { describe, expect, it } from '@effect/vitest';
import { inverseNormalCdf } from '../../src/index.js';

describe('the inverse normal CDF', () => {
  it('gives 0 at 0.5', () => {
    expect(inverseNormalCdf(0.5)).toBe(0);
  });

  it.each([
    [0.95, 1.644854],
    [0.975, 1.959964],
    [0.99, 2.326348],
    [0.999, 3.090232],
    [0.8, 0.841621],
    [0.05, -1.644854],
    [0.01, -2.326348],
    [0.001, -3.090232],
  ])('gives the tabulated quantile at %f', (p, z) => {
    expect(inverseNormalCdf(p)).toBeCloseTo(z, 6);
  });

  it('is odd about 0.5: z(1 − p) = −z(p)', () => {
    for (const p of [0.001, 0.02, 0.02425, 0.1, 0.3, 0.49]) expect(inverseNormalCdf(1 - p)).toBeCloseTo(-inverseNormalCdf(p), 9);
  });

  it('is total: ±∞ at 0 and 1, NaN outside [0, 1]', () => {
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormalCdf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(inverseNormalCdf(1.2)).toBeNaN();
    expect(inverseNormalCdf(Number.NaN)).toBeNaN();
  });
});
