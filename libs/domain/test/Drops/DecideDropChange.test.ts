// Specification of a drop change across SKUs: all of them take it, or each one that did is put back.
import { describe, expect, it } from '@effect/vitest';
import { decideDropChange, DropId, LocationId, Sku, type HoldReply, type LineReply } from '../../src/index.js';

const A = Sku.make('JERKY-A');
const B = Sku.make('JERKY-B');
const C = Sku.make('JERKY-C');
const dropId = DropId.make('friday');
const took: LineReply = { _tag: 'Accepted', fresh: true, hold: undefined };
const short = (sku: Sku, requested: number, available: number): LineReply => ({
  _tag: 'Rejected',
  rejection: { _tag: 'InsufficientStock', sku, location: LocationId.make('main'), requested, available, dropId },
});
const at = (sku: Sku, reply: LineReply): HoldReply => ({ sku, reply });

describe('given every SKU took the allocation', () => {
  it('applies the change', () => {
    expect(decideDropChange([at(A, took), at(B, took)])).toStrictEqual({ _tag: 'Applied' });
  });
});

describe('given one SKU is short of available stock', () => {
  it('refuses it, names the short SKU, and puts back only the SKUs that took it', () => {
    expect(decideDropChange([at(A, took), at(B, short(B, 50, 20)), at(C, took)])).toStrictEqual({
      _tag: 'Refused',
      short: [{ sku: B, requested: 50, available: 20 }],
      refused: [],
      revert: [A, C],
    });
  });
});

describe('given one SKU refuses the change for the drop’s state', () => {
  it('refuses it with that rejection and puts back the others', () => {
    const closed: LineReply = { _tag: 'Rejected', rejection: { _tag: 'DropAlreadyClosed', sku: A, dropId } };
    expect(decideDropChange([at(A, closed), at(B, took)])).toMatchObject({ _tag: 'Refused', refused: [{ _tag: 'DropAlreadyClosed' }], revert: [B] });
  });
});

describe('given one owner did not answer', () => {
  it('is undecided and puts back every SKU that took it or may have, the silent one included', () => {
    const silent: LineReply = { _tag: 'Unanswered', why: 'deadline' };
    expect(decideDropChange([at(A, took), at(B, silent), at(C, short(C, 5, 1))])).toStrictEqual({
      _tag: 'Undecided',
      why: ['JERKY-B: deadline'],
      revert: [A, B],
    });
  });
});
