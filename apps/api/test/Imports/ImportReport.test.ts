// The totals of an import report, and the header check that makes a file malformed.
import { describe, expect, it } from 'vitest';
import { checkHeader, CsvMalformed } from '../../src/Imports/CsvRows.js';
import { refused, totalsOf } from '../../src/Imports/ImportReport.js';
import { RestockColumns } from '../../src/Imports/RestockRow.js';

describe('totals', () => {
  it('count each status once per row', () => {
    expect(totalsOf([])).toEqual({ rows: 0, applied: 0, unchanged: 0, refused: 0 });
    expect(
      totalsOf([{ row: 2, key: 'a', status: 'applied' }, { row: 3, key: 'b', status: 'unchanged' }, refused(4, '', 'bad'), refused(5, 'c', 'bad')]),
    ).toEqual({ rows: 4, applied: 1, unchanged: 1, refused: 2 });
  });
});

describe('a header', () => {
  it('may name its columns in any order, trimmed, with or without the optional ones', () => {
    expect(checkHeader([' qty', 'reference ', 'sku'], RestockColumns)).toEqual(['qty', 'reference', 'sku']);
    expect(checkHeader(['sku', 'qty', 'reference', 'location'], RestockColumns)).toEqual(['sku', 'qty', 'reference', 'location']);
  });

  it.each([
    [['sku', 'quantity', 'reference'], /unknown columns \("quantity"\)/],
    [['sku', 'qty'], /lacks reference/],
    [['sku', 'qty', 'qty', 'reference'], /repeats qty/],
  ])('%j makes the file malformed', (header, detail) => {
    const checked = checkHeader(header, RestockColumns);
    expect(checked).toBeInstanceOf(CsvMalformed);
    if (checked instanceof CsvMalformed) expect(checked.detail).toMatch(detail);
  });
});
