// A JetStream stream sequence in the journal (INV_EVT): the position of one append.
import { Schema } from 'effect';

/** Stream sequences start at 1. */
export const JournalSequence = Schema.Int.pipe(Schema.positive());
export type JournalSequence = typeof JournalSequence.Type;
