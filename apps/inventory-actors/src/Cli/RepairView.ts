// Brings one projection of one SKU in line with its journal. A stored view behind the journal (or
// missing) is caught up; one at the journal's last sequence that differs from the fold, one that does
// not decode, or one claiming a sequence the journal does not have is repaired. Every write is a
// compare-and-set on what was read, so a runner writing meanwhile wins and the view is looked at again.
import type { Sku } from '@larder/domain';
import { Effect } from 'effect';
import type { Difference } from '../Audit/SkuAudit.js';
import type { CliError } from './CliErrors.js';
import { viewOfFold, type FoldedJournal } from './FoldJournal.js';
import type { ViewStore } from './ViewStore.js';

export type RepairOutcome =
  | { readonly _tag: 'Unchanged'; readonly seq: number }
  /** It was behind the journal (or missing): written at `seq`. */
  | { readonly _tag: 'CaughtUp'; readonly from: number | null; readonly seq: number }
  /** It was wrong: overwritten at `seq`; `differences` say what it held. */
  | { readonly _tag: 'Repaired'; readonly seq: number; readonly differences: ReadonlyArray<Difference> }
  /** Someone wrote it on every attempt (a runner projecting it live): left to them. */
  | { readonly _tag: 'Contended'; readonly attempts: number };

const MaxAttempts = 5;

export const repairView = <T>(
  store: ViewStore<T>,
  sku: Sku,
  initial: FoldedJournal,
  extend: (fold: FoldedJournal) => Effect.Effect<FoldedJournal, CliError>,
) =>
  Effect.gen(function* () {
    let fold = initial;
    for (let attempt = 1; attempt <= MaxAttempts; attempt++) {
      const stored = yield* store.read(sku);
      // A view ahead of the fold: a runner appended since the journal was read, or the view lies.
      if (stored.seq !== null && stored.seq > fold.seq) fold = yield* extend(fold);
      const expected = viewOfFold(fold);
      let outcome: RepairOutcome;
      if (stored.unreadable !== undefined) {
        outcome = { _tag: 'Repaired', seq: fold.seq, differences: [{ field: 'value', expected: 'a decodable view', found: stored.unreadable }] };
      } else if (stored.seq === null || stored.seq < fold.seq) {
        outcome = { _tag: 'CaughtUp', from: stored.seq, seq: fold.seq };
      } else if (stored.seq > fold.seq) {
        outcome = { _tag: 'Repaired', seq: fold.seq, differences: [{ field: 'seq', expected: `at most ${fold.seq} (the journal's last)`, found: String(stored.seq) }] };
      } else {
        const differences = stored.differences(expected);
        if (differences.length === 0) return { _tag: 'Unchanged', seq: fold.seq } satisfies RepairOutcome;
        outcome = { _tag: 'Repaired', seq: fold.seq, differences };
      }
      if (yield* store.replace(sku, stored.token, expected)) return outcome;
    }
    return { _tag: 'Contended', attempts: MaxAttempts } satisfies RepairOutcome;
  });
