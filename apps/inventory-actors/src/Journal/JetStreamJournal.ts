// The journal on JetStream (stream INV_EVT, one subject per SKU). Appends go through the
// process's fast publisher with `Nats-Expected-Last-Subject-Sequence` (fencing); reads walk a
// SKU's subject with direct gets (`next_by_subj`), which nats-server 2.9 supports.
import type { Event, Sku } from '@larder/domain';
import {
  decodeEventBatch,
  encodeEventBatch,
  HeaderNames,
  WrongLastSequence,
  type JetStreamPublisher,
  type Names,
} from '@larder/messaging';
import type { JetStreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { Effect, Either, Layer } from 'effect';
import { Journal, type JournalRecord } from './Journal.js';
import { JournalCorruptError, JournalFencedError, JournalUnavailableError } from './JournalErrors.js';

export interface JetStreamJournalDeps {
  readonly names: Names;
  readonly jsm: JetStreamManager;
  readonly publisher: JetStreamPublisher;
}

export const makeJetStreamJournal = ({ names, jsm, publisher }: JetStreamJournalDeps): Journal['Type'] => {
  const stream = names.journal.stream;

  const append = (sku: Sku, epoch: number, events: ReadonlyArray<Event>, expectedLastSeq: number) => {
    const subject = names.journal.subject(sku);
    const [first, ...rest] = events;
    if (first === undefined) return Effect.die(new Error('append: an empty batch is never appended'));
    const h = headers();
    h.set(HeaderNames.expectedLastSubjectSequence, String(expectedLastSeq));
    h.set(HeaderNames.epoch, String(epoch));
    const payload = encodeEventBatch({ v: 1, epoch, events: [first, ...rest] });
    return publisher.publish(subject, payload, h).pipe(
      Effect.map((ack) => ack.seq),
      Effect.mapError((failure) =>
        failure._tag === 'Refused' && failure.errCode === WrongLastSequence
          ? new JournalFencedError({ subject, expectedLastSeq, detail: failure.description })
          : new JournalUnavailableError({ subject, detail: `${failure._tag}: ${failure.description}` }),
      ),
    );
  };

  const read = (sku: Sku, afterSeq: number) =>
    Effect.gen(function* () {
      const subject = names.journal.subject(sku);
      const records: Array<JournalRecord> = [];
      let from = afterSeq + 1;
      for (;;) {
        // STREAM.MSG.GET with `next_by_subj` (nats-server ≥ 2.9): the first message of the subject at
        // or after `seq`, read from the stream leader. The client's type lists only seq/last_by_subj.
        const query = { seq: from, next_by_subj: subject };
        const msg = yield* Effect.tryPromise({
          try: () => jsm.streams.getMessage(stream, query),
          catch: (error) => new JournalUnavailableError({ subject, detail: `reading ${stream}: ${String(error)}` }),
        });
        if (msg === null) return records;
        const batch = decodeEventBatch(msg.data);
        if (Either.isLeft(batch)) {
          return yield* new JournalCorruptError({ subject, seq: msg.seq, reason: batch.left.reason });
        }
        records.push({ seq: msg.seq, epoch: batch.right.epoch, events: batch.right.events });
        from = msg.seq + 1;
      }
    });

  return { append, read };
};

export const JetStreamJournalLayer = (deps: JetStreamJournalDeps) => Layer.succeed(Journal, makeJetStreamJournal(deps));
