// Specification of demandOf: a checkout's lines become one hold per SKU, its demand summed over every
// line before any owner decides (medusajs/medusa#16502: two lines sharing a SKU are never each checked
// against the same units), in the order the SKUs first appear; a pack line expands to its components.
import { describe, expect, it } from '@effect/vitest';
import { demandOf, holdsItself, Quantity, Sku, type CheckoutLine, type ExpandLine } from '../../src/index.js';

const A = Sku.make('A');
const B = Sku.make('B');
const C = Sku.make('C');
const variety = Sku.make('VARIETY');

const line = (sku: Sku, qty: number): CheckoutLine => ({ sku, qty: Quantity.make(qty) });

/** A variety pack: each unit is one A and one B. */
const varietyPack: ExpandLine = (l) =>
  l.sku === variety
    ? [
        { sku: A, qty: l.qty },
        { sku: B, qty: l.qty },
      ]
    : holdsItself(l);

describe('given one line per SKU', () => {
  const lines = [line(B, 1), line(A, 2), line(C, 3)];

  it('asks each SKU for its line, in the order of the lines', () => {
    expect(demandOf(lines)).toStrictEqual([line(B, 1), line(A, 2), line(C, 3)]);
  });

  it('holds each line on its own SKU unless told how to expand it', () => {
    expect(demandOf(lines)).toStrictEqual(demandOf(lines, holdsItself));
  });
});

describe('given two lines of the same SKU', () => {
  it('asks that SKU once, for the sum of both lines', () => {
    expect(demandOf([line(A, 2), line(A, 3)])).toStrictEqual([line(A, 5)]);
  });

  it('keeps the SKU where it first appears', () => {
    expect(demandOf([line(A, 1), line(B, 2), line(A, 3), line(C, 1), line(B, 4)])).toStrictEqual([line(A, 4), line(B, 6), line(C, 1)]);
  });
});

describe('given a pack line that expands to its components', () => {
  it('holds the components, never the pack itself', () => {
    expect(demandOf([line(variety, 2)], varietyPack)).toStrictEqual([line(A, 2), line(B, 2)]);
  });

  it('sums a component with a plain line of the same SKU: VARIETY x2 and A x3 ask A for 5 and B for 2', () => {
    expect(demandOf([line(variety, 2), line(A, 3)], varietyPack)).toStrictEqual([line(A, 5), line(B, 2)]);
  });

  it('keeps the order in which each SKU first appears, through the expansion', () => {
    expect(demandOf([line(C, 1), line(B, 1), line(variety, 2), line(A, 3)], varietyPack)).toStrictEqual([line(C, 1), line(B, 3), line(A, 5)]);
  });
});

describe('given no lines', () => {
  it('asks nothing of anyone', () => {
    expect(demandOf([])).toStrictEqual([]);
  });
});
