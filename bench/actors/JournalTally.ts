// Reads the journal (stream INV_EVT of a namespace) after a sequence and counts its messages
// (appends) and their events by tag: the group-commit size is computed from this, afterwards.
import { decodeEventBatch, type Names } from '@larder/messaging';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Either } from 'effect';

export interface JournalTally {
  readonly messages: number;
  readonly events: Readonly<Record<string, number>>;
}

/** The journal's last sequence: everything after it was appended later. */
export const journalLastSeq = async (jsm: JetStreamManager, names: Names): Promise<number> =>
  (await jsm.streams.info(names.journal.stream)).state.last_seq;

export const tallyJournal = async (js: JetStreamClient, jsm: JetStreamManager, names: Names, afterSeq: number): Promise<JournalTally> => {
  const lastSeq = await journalLastSeq(jsm, names);
  const events: Record<string, number> = {};
  if (lastSeq <= afterSeq) return { messages: 0, events };
  const consumer = await js.consumers.get(names.journal.stream, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: afterSeq + 1,
    // No subject filter: the stream holds only `<ns>.inv.evt.>`, and `filter_subjects` needs 2.10.
  });
  const messages = await consumer.consume();
  let count = 0;
  try {
    for await (const m of messages) {
      const batch = decodeEventBatch(m.data);
      if (Either.isLeft(batch)) throw new Error(`journal message ${m.seq} (${m.subject}) does not decode: ${batch.left.reason}`);
      count++;
      for (const event of batch.right.events) events[event._tag] = (events[event._tag] ?? 0) + 1;
      if (m.seq >= lastSeq) break;
    }
  } finally {
    await messages.close();
  }
  return { messages: count, events };
};
