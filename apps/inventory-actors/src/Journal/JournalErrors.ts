// Failures of the journal (JetStream stream INV_EVT), typed at the adapter (STYLE.md habit 3).
import { Data } from 'effect';

/** The append lost the fencing check: another writer appended to this SKU since we last read it. */
export class JournalFencedError extends Data.TaggedError('JournalFencedError')<{
  readonly subject: string;
  readonly expectedLastSeq: number;
  readonly detail: string;
}> {}

/** The append's outcome is unknown (time-out, connection lost) or JetStream refused it. */
export class JournalUnavailableError extends Data.TaggedError('JournalUnavailableError')<{
  readonly subject: string;
  readonly detail: string;
}> {}

/** A journal message that does not decode: the journal is corrupt or written by a newer version. */
export class JournalCorruptError extends Data.TaggedError('JournalCorruptError')<{
  readonly subject: string;
  readonly seq: number;
  readonly reason: string;
}> {}
