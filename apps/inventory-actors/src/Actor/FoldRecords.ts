// A SKU's state and journal position after folding journal records into it, in order.
import { evolve, type SkuState } from '@larder/domain';
import type { JournalRecord } from '../Journal/Journal.js';

export interface Loaded {
  readonly state: SkuState;
  /** Journal sequence of the last batch folded into `state` (0: none). */
  readonly seq: number;
}

export const foldRecords = (from: Loaded, records: ReadonlyArray<JournalRecord>): Loaded => {
  let { state, seq } = from;
  for (const record of records) {
    for (const event of record.events) state = evolve(state, event);
    seq = record.seq;
  }
  return { state, seq };
};
