// What an import answers: one line per CSV row — applied, unchanged (already applied by an earlier row
// or upload: nothing sent), or refused with the reason — and the totals of each.
import { Schema } from 'effect';

const RowStatus = Schema.Literal('applied', 'unchanged', 'refused');
type RowStatus = typeof RowStatus.Type;

export const RowReport = Schema.Struct({
  /** The file line the row ends on (the header is line 1). */
  row: Schema.Int,
  /** The row's idempotency key: `sku` (catalogue) or `sku|location|reference` (restocks); '' when unreadable. */
  key: Schema.String,
  status: RowStatus,
  /** Catalogue rows applied: whether the entry was created or updated. */
  change: Schema.optional(Schema.Literal('created', 'updated')),
  /** Why a row was refused, or what an unchanged row matched. */
  reason: Schema.optional(Schema.String),
}).annotations({ identifier: 'ImportRowReport' });
export type RowReport = typeof RowReport.Type;

const ImportTotals = Schema.Struct({ rows: Schema.Int, applied: Schema.Int, unchanged: Schema.Int, refused: Schema.Int });
type ImportTotals = typeof ImportTotals.Type;

export const ImportAnswer = Schema.Struct({
  import: Schema.Literal('catalogue', 'restocks'),
  totals: ImportTotals,
  rows: Schema.Array(RowReport),
}).annotations({ identifier: 'ImportReport' });
export type ImportAnswer = typeof ImportAnswer.Type;

export const totalsOf = (rows: ReadonlyArray<RowReport>): ImportTotals => {
  const totals = { rows: rows.length, applied: 0, unchanged: 0, refused: 0 };
  for (const r of rows) totals[r.status] += 1;
  return totals;
};

export const refused = (row: number, key: string, reason: string): RowReport => ({ row, key, status: 'refused', reason });
