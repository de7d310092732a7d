// A SKU's state recomputed from its journal alone (no snapshot), and the StockView it gives: the view
// the projections must hold. A fold can be extended with the batches appended since.
import { EpochMillis, initialState, type Sku, type SkuState } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import { Effect } from 'effect';
import { foldRecords } from '../Actor/FoldRecords.js';
import type { Journal } from '../Journal/Journal.js';
import { stockViewOf } from '../Projection/StockViewOf.js';
import { CliError } from './CliErrors.js';

export interface FoldedJournal {
  readonly sku: Sku;
  readonly state: SkuState;
  /** The last batch folded (0: the SKU has no journal). */
  readonly seq: number;
  /** When the last folded event happened: the view's `asOf`. */
  readonly asOf: EpochMillis;
}

export const emptyFold = (sku: Sku): FoldedJournal => ({ sku, state: initialState(sku), seq: 0, asOf: EpochMillis.make(0) });

/** Folds the batches after `from.seq` into `from`. */
export const foldJournal = (journal: Journal['Type'], from: FoldedJournal) =>
  journal.read(from.sku, from.seq).pipe(
    Effect.map((records): FoldedJournal => {
      const { state, seq, asOf } = foldRecords({ state: from.state, seq: from.seq, asOf: from.asOf }, records);
      return { sku: from.sku, state, seq, asOf: asOf ?? from.asOf };
    }),
    Effect.mapError((error) => new CliError({ message: `cannot read the journal of ${from.sku}: ${error._tag}: ${'detail' in error ? error.detail : error.reason}` })),
  );

export const viewOfFold = (fold: FoldedJournal): StockView => stockViewOf(fold.state, fold.seq, fold.asOf);
