// The journal of every SKU: fenced appends of one event batch per group commit, and reads of the
// batches after a sequence. The only way an actor touches INV_EVT.
import type { Event, Sku } from '@larder/domain';
import { Context, type Effect } from 'effect';
import type { JournalCorruptError, JournalFencedError, JournalUnavailableError } from './JournalErrors.js';

export interface JournalRecord {
  readonly seq: number;
  readonly epoch: number;
  readonly events: ReadonlyArray<Event>;
}

export class Journal extends Context.Tag('larder/Journal')<
  Journal,
  {
    /** Appends one batch iff the SKU's last journal sequence is `expectedLastSeq` (0: none); the new sequence. */
    readonly append: (
      sku: Sku,
      epoch: number,
      events: ReadonlyArray<Event>,
      expectedLastSeq: number,
    ) => Effect.Effect<number, JournalFencedError | JournalUnavailableError>;
    /** Every batch of the SKU after `afterSeq`, in order. */
    readonly read: (
      sku: Sku,
      afterSeq: number,
    ) => Effect.Effect<ReadonlyArray<JournalRecord>, JournalUnavailableError | JournalCorruptError>;
  }
>() {}
