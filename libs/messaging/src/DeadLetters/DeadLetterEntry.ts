// One dead letter of INV_DLQ as an operator reads it (`larder dlq list --json`, the operator console):
// where the command was going, why it failed, how often it was delivered and when it was given up;
// or, for a dead letter that does not decode, why not.
import { Either, Schema } from 'effect';
import type { ListedDeadLetter } from './DeadLetterTool.js';

export const ReadableDeadLetterEntry = Schema.Struct({
  /** Its sequence in INV_DLQ. */
  seq: Schema.Int,
  readable: Schema.Literal(true),
  /** The subject the command was received on (and is replayed to). */
  subject: Schema.String,
  reason: Schema.String,
  deliveries: Schema.Int,
  /** ISO 8601. */
  failedAt: Schema.String,
});

export const UnreadableDeadLetterEntry = Schema.Struct({
  seq: Schema.Int,
  readable: Schema.Literal(false),
  /** Why the dead letter itself does not decode; a replay keeps it. */
  undecodable: Schema.String,
});

export const DeadLetterEntry = Schema.Union(ReadableDeadLetterEntry, UnreadableDeadLetterEntry);
export type DeadLetterEntry = typeof DeadLetterEntry.Type;

export const deadLetterEntry = ({ seq, letter }: ListedDeadLetter): DeadLetterEntry =>
  Either.match(letter, {
    onLeft: (why) => ({ seq, readable: false, undecodable: why }),
    onRight: (l) => ({ seq, readable: true, subject: l.subject, reason: l.reason, deliveries: l.deliveries, failedAt: new Date(l.failedAt).toISOString() }),
  });
