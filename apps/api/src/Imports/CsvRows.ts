// Reads an uploaded CSV as it streams (csv-parse): checks the header against the import's columns (any
// order; a missing, unknown or repeated column makes the whole file malformed), then yields each row as
// its cells by column name — or why it could not be read. Past `limitBytes` the stream fails with
// `CsvTooLarge`; rows yielded before that stand.
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { Data, Schema } from 'effect';

export class CsvMalformed extends Data.TaggedError('CsvMalformed')<{ readonly detail: string }> {}
export class CsvTooLarge extends Data.TaggedError('CsvTooLarge')<{ readonly limitBytes: number }> {}

export interface CsvColumns {
  readonly required: ReadonlyArray<string>;
  readonly optional: ReadonlyArray<string>;
}

/** `row`: the file line the row ends on (the header is line 1). A row's cells are trimmed; empty = absent. */
export type CsvRow =
  | { readonly _tag: 'Cells'; readonly row: number; readonly cells: Readonly<Record<string, string | undefined>> }
  | { readonly _tag: 'Unreadable'; readonly row: number; readonly reason: string };

const Parsed = Schema.Struct({ record: Schema.Array(Schema.String), info: Schema.Struct({ lines: Schema.Int }) });
const decodeParsed = Schema.decodeUnknownSync(Parsed);
const SkipContext = Schema.Struct({ lines: Schema.Int });
const decodeSkip = Schema.decodeUnknownOption(SkipContext);

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

export async function* readCsvRows(source: Readable, columns: CsvColumns, limitBytes: number): AsyncGenerator<CsvRow> {
  const skipped: Array<CsvRow> = [];
  const parser = parse({
    bom: true,
    info: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // A row csv-parse cannot read (a stray quote) is reported and skipped; the next rows go on.
    skip_records_with_error: true,
    on_skip: (error) => {
      const at = decodeSkip(error);
      skipped.push({ _tag: 'Unreadable', row: at._tag === 'Some' ? at.value.lines : 0, reason: `not readable as CSV: ${error?.message ?? 'unknown error'}` });
      return undefined;
    },
  });
  let failure: unknown = undefined;
  pipeline(source, byteLimit(limitBytes), parser, (error) => {
    if (error !== undefined && error !== null) failure = error;
  });
  let names: ReadonlyArray<string> | undefined;
  try {
    for await (const item of parser) {
      yield* skipped.splice(0);
      const { record, info } = decodeParsed(item);
      if (names === undefined) {
        const checked = checkHeader(record, columns);
        if (checked instanceof CsvMalformed) throw checked;
        names = checked;
        continue;
      }
      if (record.length !== names.length) {
        yield { _tag: 'Unreadable', row: info.lines, reason: `has ${record.length} cells where the header has ${names.length} columns` };
        continue;
      }
      const cells: Record<string, string | undefined> = {};
      names.forEach((name, i) => {
        const cell = record[i];
        cells[name] = cell === undefined || cell === '' ? undefined : cell;
      });
      yield { _tag: 'Cells', row: info.lines, cells };
    }
  } catch (error) {
    throw failure instanceof CsvTooLarge ? failure : error instanceof CsvTooLarge || error instanceof CsvMalformed ? error : (failure ?? error);
  }
  if (failure instanceof CsvTooLarge) throw failure;
  if (names === undefined) throw new CsvMalformed({ detail: `the file is empty: the first line must be the header (${columns.required.join(',')}${columns.optional.map((c) => `,${c}`).join('')})` });
  yield* skipped.splice(0);
}
