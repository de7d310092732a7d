// A trace against the journal's brute-force answer: the same lines (as multisets, every field), the
// same lots, each lot's movements equal, its on hand equal to what the movements leave, difference 0.
import type { BenchSelector, JournalScan } from './JournalScan.js';
import { expectedTrace } from './JournalScan.js';
import type { Trace } from './TraceRun.js';

const lineKey = (l: {
  readonly kind: string;
  readonly orderId: string | null;
  readonly reservationId: string | null;
  readonly customerId: string | null;
  readonly sku: string;
  readonly lot: string;
  readonly qty: number;
  readonly committedAt: string;
  readonly channel: string;
  readonly location: string;
}) => [l.sku, l.lot, l.kind, l.orderId, l.reservationId, l.customerId, l.qty, l.committedAt, l.channel, l.location].join('|');

export interface Comparison {
  readonly equal: boolean;
  readonly lines: number;
  readonly expectedLines: number;
  readonly lots: number;
  readonly differences: ReadonlyArray<string>;
}

export const compareTrace = (trace: Trace, scan: JournalScan, selector: BenchSelector): Comparison => {
  const expected = expectedTrace(scan, selector);
  const differences: Array<string> = [];
  const got = trace.lines.map(lineKey).sort();
  const want = expected.lines.map(lineKey).sort();
  if (got.length !== want.length) differences.push(`${got.length} lines, the journal has ${want.length}`);
  const firstMismatch = got.findIndex((k, i) => k !== want[i]);
  if (firstMismatch >= 0) differences.push(`line ${firstMismatch}: trace ${got[firstMismatch]} ≠ journal ${want[firstMismatch] ?? '(none)'}`);
  const lotKey = (l: { readonly sku: string; readonly lot: string }) => `${l.sku}/${l.lot}`;
  const gotLots = trace.lots.map(lotKey).sort();
  const wantLots = expected.lots.map(lotKey).sort();
  if (gotLots.join(',') !== wantLots.join(',')) differences.push(`lots ${gotLots.join(',')} ≠ journal ${wantLots.join(',')}`);
  for (const want of expected.lots) {
    const lot = trace.lots.find((l) => lotKey(l) === lotKey(want));
    if (lot === undefined) continue;
    const { received, returned, adjusted, committed, onHand, difference } = lot.massBalance;
    const mine = { received, returned, adjusted, committed, onHand };
    const theirs = { received: want.received, returned: want.returned, adjusted: want.adjusted, committed: want.committed, onHand: want.onHand };
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) differences.push(`${lotKey(want)} balance ${JSON.stringify(mine)} ≠ journal ${JSON.stringify(theirs)}`);
    if (difference !== 0) differences.push(`${lotKey(want)} difference ${difference}`);
  }
  return { equal: differences.length === 0, lines: got.length, expectedLines: want.length, lots: gotLots.length, differences };
};
