// A catalogue import row checked without I/O, and how it compares with the entry as it stands.
import { Sku, Units } from '@larder/domain';
import { describe, expect, it } from 'vitest';
import type { CatalogRow } from '../../src/Catalog/CatalogEntry.js';
import { changesNothing, checkCatalogueRow, policyChange } from '../../src/Imports/CatalogueRow.js';

const entry: CatalogRow = { sku: Sku.make('A'), name: 'Jerky', lowStockThreshold: 5, safetyStock: 0, replenishment: null, createdAt: new Date(0), updatedAt: new Date(0) };

describe('a row', () => {
  it('leaves out empty policy cells (the entry keeps them)', () => {
    expect(checkCatalogueRow({ sku: 'A', name: 'Jerky' })).toEqual({ _tag: 'Valid', line: { sku: 'A', change: { name: 'Jerky' } } });
    expect(checkCatalogueRow({ sku: 'A', name: 'Jerky', lowStockThreshold: '0', safetyStock: '3' })).toEqual({
      _tag: 'Valid',
      line: { sku: 'A', change: { name: 'Jerky', lowStockThreshold: 0, safetyStock: 3 } },
    });
  });

  it.each([
    [{ name: 'x' }, /^sku "": /],
    [{ sku: 'A' }, /^name is empty$/],
    [{ sku: 'A', name: 'x', safetyStock: '-1' }, /^safetyStock "-1": a whole number of units/],
    [{ sku: 'A', name: 'x', lowStockThreshold: 'ten' }, /^lowStockThreshold "ten"/],
    [{ sku: 'A', name: 'x'.repeat(201) }, /^name: /],
  ])('%j is refused with its reason', (cells, reason) => {
    const checked = checkCatalogueRow(cells);
    expect(checked._tag).toBe('Invalid');
    if (checked._tag === 'Invalid') expect(checked.reason).toMatch(reason);
  });
});

describe('against the entry as it stands', () => {
  it('changes nothing when every given field is equal', () => {
    expect(changesNothing(entry, { name: 'Jerky' })).toBe(true);
    expect(changesNothing(entry, { name: 'Jerky', lowStockThreshold: Units.make(5) })).toBe(true);
    expect(changesNothing(entry, { name: 'Jerky', safetyStock: Units.make(1) })).toBe(false);
    expect(changesNothing(entry, { name: 'Jerky 2' })).toBe(false);
  });

  it('tells the actor only the policy fields that differ, and every given one for a new entry', () => {
    expect(policyChange(entry, { name: 'x', lowStockThreshold: Units.make(5), safetyStock: Units.make(2) })).toEqual({ safetyStock: 2 });
    expect(policyChange(entry, { name: 'x' })).toEqual({});
    expect(policyChange(undefined, { name: 'x', safetyStock: Units.make(0) })).toEqual({ safetyStock: 0 });
  });
});
