// Reads an uploaded CSV as it streams, a line at a time (each line parsed by csv-parse): checks the
// header against the import's columns (any order; a missing, unknown or repeated column makes the whole
// file malformed), then yields each row as its cells by column name — or why it could not be read. Past `limitBytes` the stream fails with
// `CsvTooLarge`; rows yielded before that stand.
import { createInterface } from 'node:readline';
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse as parseLine } from 'csv-parse/sync';
import { Data, Schema } from 'effect';

export class CsvMalformed extends Data.TaggedError('CsvMalformed')<{ readonly detail: string }> {}
export class CsvTooLarge extends Data.TaggedError('CsvTooLarge')<{ readonly limitBytes: number }> {}

export interface CsvColumns {
  readonly required: ReadonlyArray<string>;
  readonly optional: ReadonlyArray<string>;
}

/** `row`: the row's line in the file (the header is line 1). A row's cells are trimmed; empty = absent. */
export type CsvRow =
  | { readonly _tag: 'Cells'; readonly row: number; readonly cells: Readonly<Record<string, string | undefined>> }
  | { readonly _tag: 'Unreadable'; readonly row: number; readonly reason: string };

const decodeRecords = Schema.decodeUnknownSync(Schema.Array(Schema.Array(Schema.String)));

/** The column names in file order, or why the header is not one for these columns. */
export const checkHeader = (header: ReadonlyArray<string>, columns: CsvColumns): ReadonlyArray<string> | CsvMalformed => {
  const names = header.map((h) => h.trim());
  const known = new Set([...columns.required, ...columns.optional]);
  const expected = `expected the columns ${columns.required.join(',')}${columns.optional.length === 0 ? '' : ` and optionally ${columns.optional.join(',')}`}`;
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) return new CsvMalformed({ detail: `the header names unknown columns (${unknown.map((u) => JSON.stringify(u)).join(', ')}); ${expected}` });
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) return new CsvMalformed({ detail: `the header repeats ${repeated.join(', ')}; ${expected}` });
  const missing = columns.required.filter((c) => !names.includes(c));
  if (missing.length > 0) return new CsvMalformed({ detail: `the header lacks ${missing.join(', ')}; ${expected}` });
  return names;
};

/** Counts bytes on their way to the parser and fails the stream once there are more than `limitBytes`. */
const byteLimit = (limitBytes: number) => {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limitBytes) done(new CsvTooLarge({ limitBytes }));
      else done(null, chunk);
    },
  });
};

/** Why one line is not a CSV row, in words for the person who wrote the file. */
const unreadable = (error: unknown): string => {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote is opened and not closed on this line (every row is one line: a field may not span lines)';
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'a closing quote is followed by other characters in the same field; quote the whole field and double any quote inside it ("")';
  return `not readable as CSV: ${error instanceof Error ? error.message : String(error)}`;
};

/**
 * Every physical line is one row, parsed on its own by csv-parse: a bad line (a stray quote) is refused
 * alone and never swallows the lines after it, as one streaming parse would (an unclosed quote there
 * makes the rest of the file one record).
 */
export async function* readCsvRows(source: Readable, columns: CsvColumns, limitBytes: number): AsyncGenerator<CsvRow> {
  let failure: unknown = undefined;
  const limited = byteLimit(limitBytes);
  pipeline(source, limited, (error) => {
    if (error !== undefined && error !== null) failure = error;
  });
  const lines = createInterface({ input: limited, crlfDelay: Number.POSITIVE_INFINITY });
  let names: ReadonlyArray<string> | undefined;
  let row = 0;
  try {
    for await (const raw of lines) {
      row += 1;
      const text = row === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      let record: ReadonlyArray<string>;
      try {
        const [first] = decodeRecords(parseLine(text, { trim: true, relax_column_count: true }));
        record = first ?? [];
      } catch (error) {
        if (names === undefined) throw new CsvMalformed({ detail: `the header (line ${row}) is ${unreadable(error)}` });
        yield { _tag: 'Unreadable', row, reason: unreadable(error) };
        continue;
      }
      if (names === undefined) {
        const checked = checkHeader(record, columns);
        if (checked instanceof CsvMalformed) throw checked;
        names = checked;
        continue;
      }
      if (record.length !== names.length) {
        yield { _tag: 'Unreadable', row, reason: `has ${record.length} cells where the header has ${names.length} columns` };
        continue;
      }
      const cells: Record<string, string | undefined> = {};
      names.forEach((name, i) => {
        const cell = record[i];
        cells[name] = cell === undefined || cell === '' ? undefined : cell;
      });
      yield { _tag: 'Cells', row, cells };
    }
  } catch (error) {
    throw failure instanceof CsvTooLarge ? failure : error instanceof CsvTooLarge || error instanceof CsvMalformed ? error : (failure ?? error);
  } finally {
    lines.close();
  }
  if (failure instanceof CsvTooLarge) throw failure;
  if (names === undefined) throw new CsvMalformed({ detail: `the file is empty: the first line must be the header (${columns.required.join(',')}${columns.optional.map((c) => `,${c}`).join('')})` });
}
