// Operator actions on INV_DLQ (`larder dlq`, the operator console): list the dead letters with their
// reasons, and move them back to the subject they came from for replay once the cause is fixed. A
// replayed command keeps its command id, so one that was in fact applied before is recognised by its
// actor and not applied twice.
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { Either, Schema } from 'effect';
import { decodeDeadLetter, type DeadLetter } from '../Codec/DeadLetter.js';
import { HeaderNames } from '../Names/HeaderNames.js';
import type { Names } from '../Names/Names.js';

export interface ListedDeadLetter {
  readonly seq: number;
  readonly letter: Either.Either<DeadLetter, string>;
}

/** What listing reads of JetStream (a JetStreamManager is one). */
export interface DeadLetterReads {
  readonly streams: {
    readonly info: (stream: string) => Promise<{ readonly state: { readonly messages: number; readonly first_seq: number; readonly last_seq: number } }>;
    /** null when nothing is stored at `seq`. */
    readonly getMessage: (stream: string, query: { seq: number }) => Promise<{ readonly data: Uint8Array } | null>;
  };
}

/** Every dead letter in stream order (up to `limit`), undecodable ones with the reason. */
export const listDeadLetters = async (jsm: DeadLetterReads, names: Names, limit = 1_000): Promise<ReadonlyArray<ListedDeadLetter>> => {
  const stream = names.deadLetters.stream;
  const info = await jsm.streams.info(stream);
  const out: Array<ListedDeadLetter> = [];
  // An empty stream reports first_seq 0 (no message has that sequence: asking for it is a bad request).
  if (info.state.messages === 0) return out;
  let seq = Math.max(1, info.state.first_seq);
  while (seq <= info.state.last_seq && out.length < limit) {
    // null: a gap (a deleted or replayed letter). Any other failure (no permission, no answer) is
    // thrown: an empty list must mean an empty stream, not a read that failed.
    const msg = await jsm.streams.getMessage(stream, { seq });
    if (msg !== null) out.push({ seq, letter: Either.mapLeft(decodeDeadLetter(msg.data), (e) => e.reason) });
    seq++;
  }
  return out;
};

/** What a replay did: how many went back to their subjects, and which stayed in INV_DLQ and why. */
export const ReplayResult = Schema.Struct({
  replayed: Schema.Int,
  skipped: Schema.Array(Schema.Struct({ seq: Schema.Int, why: Schema.String })),
});
export type ReplayResult = typeof ReplayResult.Type;

/** Republishes each dead letter's original message to its subject, then deletes it from the DLQ. */
export const replayDeadLetters = async (
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: Names,
  limit = 1_000,
): Promise<ReplayResult> => {
  const skipped: Array<{ seq: number; why: string }> = [];
  let replayed = 0;
  for (const { seq, letter } of await listDeadLetters(jsm, names, limit)) {
    if (Either.isLeft(letter)) {
      skipped.push({ seq, why: `undecodable dead letter: ${letter.left}` });
      continue;
    }
    const h = headers();
    for (const [key, values] of Object.entries(letter.right.headers)) {
      if (key === HeaderNames.messageId) continue;
      for (const value of values) h.append(key, value);
    }
    // A new message id: the original one may still be inside INV_CMD's dedupe window.
    await js.publish(letter.right.subject, letter.right.original, { headers: h, msgID: `replay:${names.deadLetters.stream}:${seq}` });
    // A replay running at the same time (another operator) may have deleted it first: its publish had the
    // same message id, so INV_CMD kept one copy, and gone is what we want.
    await jsm.streams.deleteMessage(names.deadLetters.stream, seq).catch((error: unknown) => {
      if (!(error instanceof Error && /no message found/i.test(error.message))) throw error;
    });
    replayed++;
  }
  return { replayed, skipped };
};
