// A restock import row checked without I/O: its key, its command id, and each way a row is refused.
import { describe, expect, it } from 'vitest';
import { checkRestockRow, rawRestockKey, restockCommandId } from '../../src/Imports/RestockRow.js';

describe('a valid row', () => {
  it('becomes a restock keyed by sku, location and reference, at main when no location is given', () => {
    expect(checkRestockRow({ sku: 'JERKY-1', qty: '12', reference: 'po 7|a' })).toEqual({
      _tag: 'Valid',
      line: { key: 'JERKY-1|main|po 7|a', sku: 'JERKY-1', qty: 12, reference: 'po 7|a', location: 'main' },
    });
    expect(checkRestockRow({ sku: 'JERKY-1', qty: '+3', reference: 'po', location: 'east' })).toMatchObject({ _tag: 'Valid', line: { key: 'JERKY-1|east|po', qty: 3 } });
  });

  it('may name its lot: a code with its best-before, and the day it was made', () => {
    expect(checkRestockRow({ sku: 'JERKY-1', qty: '5', reference: 'po', lot: 'L2611-A', best_before: '2027-05-31', produced_on: '2026-11-02' })).toEqual({
      _tag: 'Valid',
      line: { key: 'JERKY-1|main|po', sku: 'JERKY-1', qty: 5, reference: 'po', location: 'main', lot: { code: 'L2611-A', bestBefore: '2027-05-31', producedOn: '2026-11-02' } },
    });
  });

  it('always becomes the same command id, another for another key', () => {
    expect(restockCommandId('A|main|po')).toBe(restockCommandId('A|main|po'));
    expect(restockCommandId('A|main|po')).not.toBe(restockCommandId('A|main|po2'));
    expect(restockCommandId('A|main|po')).toMatch(/^import:restock:[A-Za-z0-9_-]{43}$/);
  });
});

describe('a bad row', () => {
  it.each([
    [{ sku: 'A', qty: '-4', reference: 'po' }, /^qty "-4": a restock is a whole number of units from 1 to 1000000/],
    [{ sku: 'A', qty: '0', reference: 'po' }, /^qty "0"/],
    [{ sku: 'A', qty: '1.5', reference: 'po' }, /^qty "1.5"/],
    [{ sku: 'A', qty: '2000000', reference: 'po' }, /^qty "2000000"/],
    [{ sku: 'A', reference: 'po' }, /^qty is empty$/],
    [{ sku: 'bad sku!', qty: '1', reference: 'po' }, /^sku "bad sku!": a SKU is 1–64 characters/],
    [{ sku: 'A', qty: '1' }, /^reference is empty$/],
    [{ sku: 'A', qty: '1', reference: 'po', location: 'East Wing' }, /^location "East Wing": a location is/],
    [{ sku: 'A', qty: '1', reference: 'po', lot: 'L1' }, /^best_before is empty$/],
    [{ sku: 'A', qty: '1', reference: 'po', lot: 'L1', best_before: '2027-02-30' }, /^best_before "2027-02-30": 2027-02-30 is not a day of the calendar$/],
    [{ sku: 'A', qty: '1', reference: 'po', best_before: '2027-02-28' }, /^best_before and produced_on belong to a lot/],
  ])('%j is refused with its reason', (cells, reason) => {
    const checked = checkRestockRow(cells);
    expect(checked._tag).toBe('Invalid');
    if (checked._tag === 'Invalid') expect(checked.reason).toMatch(reason);
  });

  it('keeps its key as written, for the report', () => {
    expect(rawRestockKey({ sku: 'bad sku!', reference: 'po' })).toBe('bad sku!|main|po');
  });
});
