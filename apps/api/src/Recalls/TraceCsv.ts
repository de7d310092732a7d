// A recall trace's lines as CSV (RFC 4180: a header row, CRLF, quoting by csv-stringify), for the
// spreadsheet a recall coordinator sends on. Cells that a spreadsheet would run as a formula are
// prefixed with `'` (csv-stringify's escape_formulas).
import { stringify } from 'csv-stringify/sync';
import type { TraceLine } from './RecallTrace.js';

export const TraceCsvColumns = ['sku', 'lot', 'qty', 'orderId', 'reservationId', 'customerId', 'channel', 'location', 'committedAt', 'kind'] as const;

export const traceCsv = (lines: ReadonlyArray<TraceLine>): string =>
  stringify(
    lines.map((l) => [l.sku, l.lot, l.qty, l.orderId ?? '', l.reservationId ?? '', l.customerId ?? '', l.channel, l.location, l.committedAt, l.kind]),
    { header: true, columns: [...TraceCsvColumns], record_delimiter: 'windows', escape_formulas: true },
  );

/** Whether the client asked for CSV (`Accept: text/csv`) rather than JSON. */
export const wantsCsv = (accept: string | undefined): boolean =>
  accept !== undefined && accept.split(',').some((part) => part.split(';')[0]?.trim().toLowerCase() === 'text/csv');
