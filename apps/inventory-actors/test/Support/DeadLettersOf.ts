// Reads every message of a fixture's INV_DLQ straight from the stream and decodes it, for
// assertions that do not go through the dead-letter tool under test.
import { decodeDeadLetter, type DeadLetter } from '@larder/messaging';
import { Either } from 'effect';
import type { RunnerFixture } from './RunnerFixture.js';

export interface StoredDeadLetter {
  readonly seq: number;
  /** The DLQ subject it was stored on (`<ns>.inv.dlq.<shard>`). */
  readonly subject: string;
  readonly letter: DeadLetter;
}

export const deadLettersOf = async (f: RunnerFixture): Promise<ReadonlyArray<StoredDeadLetter>> => {
  const stream = f.names.deadLetters.stream;
  const { state } = await f.jsm.streams.info(stream);
  const out: Array<StoredDeadLetter> = [];
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const msg = await f.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg === null) continue;
    const letter = decodeDeadLetter(msg.data);
    if (Either.isLeft(letter)) throw new Error(`INV_DLQ seq ${seq} is not a dead letter: ${letter.left.reason}`);
    out.push({ seq, subject: msg.subject, letter: letter.right });
  }
  return out;
};

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);
