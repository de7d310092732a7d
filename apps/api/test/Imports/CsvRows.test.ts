// Specification of readCsvRows: every line is one row, read on its own, so a stray quote on one line is
// refused there and never swallows the rows after it; the header decides the columns; past the byte
// limit the stream fails.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvMalformed, CsvTooLarge, readCsvRows, type CsvRow } from '../../src/Imports/CsvRows.js';

const columns = { required: ['sku', 'qty', 'reference'], optional: ['location'] };
const rowsOf = async (text: string, limitBytes = 1_000_000): Promise<Array<CsvRow>> => {
  const rows: Array<CsvRow> = [];
  for await (const row of readCsvRows(Readable.from([Buffer.from(text)]), columns, limitBytes)) rows.push(row);
  return rows;
};

describe('given a file with an unclosed quote on line 3 of 6', () => {
  const file = ['sku,qty,reference', 'A,1,po1', 'B,2,"po2', 'C,3,po3', 'D,4,"po ""4"""', 'E,5,po5'].join('\n');

  it('refuses line 3 alone, saying why, and reads every other row', async () => {
    const rows = await rowsOf(file);
    expect(rows.map((r) => [r.row, r._tag])).toStrictEqual([
      [2, 'Cells'],
      [3, 'Unreadable'],
      [4, 'Cells'],
      [5, 'Cells'],
      [6, 'Cells'],
    ]);
    expect(rows[1]).toMatchObject({ reason: expect.stringContaining('a quote is opened and not closed on this line') });
    expect(rows[3]).toMatchObject({ cells: { sku: 'D', qty: '4', reference: 'po "4"' } });
  });
});

describe('given a header in another order, a BOM, CRLF line ends, blank lines and an optional column', () => {
  it('reads the cells by column name, trimmed, with the file’s line numbers', async () => {
    const rows = await rowsOf('\uFEFFreference, sku ,qty,location\r\n\r\npo-9, X-1 ,7,\r\npo-10,X-2,1,3pl\r\n');
    expect(rows).toStrictEqual([
      { _tag: 'Cells', row: 3, cells: { reference: 'po-9', sku: 'X-1', qty: '7', location: undefined } },
      { _tag: 'Cells', row: 4, cells: { reference: 'po-10', sku: 'X-2', qty: '1', location: '3pl' } },
    ]);
  });

  it('refuses a row with another number of cells than the header has', async () => {
    expect(await rowsOf('sku,qty,reference\nA,1\n')).toStrictEqual([{ _tag: 'Unreadable', row: 2, reason: 'has 2 cells where the header has 3 columns' }]);
  });
});

describe('given a file that is not an import of these columns', () => {
  it.each([
    ['empty', ''],
    ['an unknown column', 'sku,qty,reference,colour\n'],
    ['a missing column', 'sku,qty\n'],
    ['an unreadable header', 'sku,"qty,reference\n'],
  ])('is malformed when %s', async (_, text) => {
    await expect(rowsOf(text)).rejects.toBeInstanceOf(CsvMalformed);
  });

  it('fails with CsvTooLarge past the byte limit', async () => {
    const big = ['sku,qty,reference', ...Array.from({ length: 1_000 }, (_, i) => `SKU-${i},1,po-${i}`)].join('\n');
    await expect(rowsOf(big, 2_000)).rejects.toBeInstanceOf(CsvTooLarge);
  });
});
