// A SKU's state and journal position after folding journal records into it, in order.
import { evolve, type EpochMillis, type SkuState } from '@larder/domain';
import type { JournalRecord } from '../Journal/Journal.js';

export interface Loaded {
  readonly state: SkuState;
  /** Journal sequence of the last batch folded into `state` (0: none). */
  readonly seq: number;
  /**
   * When the last event folded into `state` happened: the `asOf` of its read view. Null when it is
   * not known here (loaded from a snapshot with nothing after it, or no event at all).
   */
  readonly asOf: EpochMillis | null;
}

export const foldRecords = (from: Loaded, records: ReadonlyArray<JournalRecord>): Loaded => {
  let { state, seq, asOf } = from;
  for (const record of records) {
    for (const event of record.events) state = evolve(state, event);
    seq = record.seq;
    asOf = record.events.at(-1)?.at ?? asOf;
  }
  return { state, seq, asOf };
};
