// The standard normal quantile (inverse CDF), for turning a service level into a safety factor Z:
// P. J. Acklam's rational approximation (relative error below 1.15e-9 over the whole range). Pure.

// Acklam's coefficients, highest power first (evaluated by Horner's rule).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1, 1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416, 1];

/** Below this (and above 1 − it) the tails use their own approximation. */
const PLow = 0.02425;

const horner = (coefficients: ReadonlyArray<number>, x: number): number => coefficients.reduce((acc, c) => acc * x + c, 0);

const tail = (p: number): number => {
  const q = Math.sqrt(-2 * Math.log(p));
  return horner(C, q) / horner(D, q);
};

/**
 * The z such that a standard normal variable is below z with probability `p`: 0.5 → 0, 0.95 →
 * 1.6449, 0.99 → 2.3263. Total: 0 → −∞, 1 → +∞, outside [0, 1] or NaN → NaN.
 */
export const inverseNormalCdf = (p: number): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p < PLow) return tail(p);
  if (p > 1 - PLow) return -tail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (horner(A, r) * q) / horner(B, r);
};
