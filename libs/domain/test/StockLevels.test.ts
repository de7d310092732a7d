// Unit tests of the availability rule (DESIGN.md §5) and of the shortfall a physical reduction leaves.
import { describe, expect, it } from '@effect/vitest';
import { available, shortfallOf } from '../src/index.js';
import { levels } from './Fixtures.js';

describe('available = onHand − reserved − safetyStock, never below 0', () => {
  it.each([
    [levels(10), 10],
    [levels(10, 4), 6],
    [levels(10, 4, 3), 3],
    [levels(10, 4, 6), 0],
    [levels(10, 4, 9), 0],
    [levels(2, 4), 0],
    [levels(-3), 0],
  ])('is computed for %o as %i', (l, expected) => {
    expect(available(l)).toBe(expected);
  });
});

describe('shortfallOf: units taken beyond the stock nobody holds', () => {
  it.each([
    [levels(10), 10, 0],
    [levels(10), 11, 1],
    [levels(10, 4), 6, 0],
    [levels(10, 4), 8, 2],
    // Safety stock is on the shelf: taking it is no shortfall.
    [levels(10, 0, 4), 8, 0],
    [levels(2, 4), 3, 3],
    [levels(-3), 2, 2],
  ])('for %o taking %i is %i', (l, units, expected) => {
    expect(shortfallOf(l, units)).toBe(expected);
  });
});
