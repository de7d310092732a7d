// Deliveries that spent their retry budget (ADR 0015): kept on `<ns>.webhooks.dlq.<id>` in WEBHOOK_DLQ
// with the reason, until an operator replays them into WEBHOOK_REPLAY (each one delivered again, with
// a fresh retry budget) — the dead letter is removed once its replay is stored.
import { makeJsonCodec, type Names } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Either, Schema } from 'effect';
import { readSubject } from './ReadSubject.js';
import { Delivery } from './WebhookPayload.js';

export const DeadLetter = Schema.Struct({
  v: Schema.Literal(1),
  endpointId: Schema.String,
  delivery: Delivery,
  attempts: Schema.Int,
  lastStatus: Schema.optional(Schema.Int),
  lastError: Schema.optional(Schema.String),
  reason: Schema.String,
  /** ISO 8601. */
  deadLetteredAt: Schema.String,
});
export type DeadLetter = typeof DeadLetter.Type;

const codec = makeJsonCodec(DeadLetter, { name: 'WebhookDeadLetter', onExcessProperty: 'ignore' });
export const decodeWebhookDeadLetter = codec.decode;

export interface StoredDeadLetter extends DeadLetter {
  /** Its sequence in WEBHOOK_DLQ. */
  readonly seq: number;
}

export interface DeadLetters {
  readonly put: (letter: DeadLetter) => Promise<void>;
  readonly list: (endpointId: string) => Promise<ReadonlyArray<StoredDeadLetter>>;
  /** Sends every dead letter of the endpoint again, once; how many. */
  readonly replay: (endpointId: string) => Promise<number>;
}

export const makeDeadLetters = (js: JetStreamClient, jsm: JetStreamManager, names: Names): DeadLetters => {
  const list = async (endpointId: string) => {
    const stored = await readSubject(js, jsm, names.webhooks.deadLetters.stream, names.webhooks.deadLetters.subject(endpointId));
    return stored.flatMap((m) => Either.match(codec.decode(m.data), { onLeft: () => [], onRight: (d) => [{ ...d, seq: m.seq }] }));
  };
  return {
    put: async (letter) => {
      await js.publish(names.webhooks.deadLetters.subject(letter.endpointId), codec.encode(letter));
    },
    list,
    replay: async (endpointId) => {
      let replayed = 0;
      for (const letter of await list(endpointId)) {
        // The msgID makes a replay retried after a crash between these two steps store it once (2 min window).
        await js.publish(names.webhooks.replays.subject(endpointId), codec.encode(letter), { msgID: `dlq-${letter.seq}` });
        // Another replay of the same endpoint may have taken it already: gone is what we want.
        await jsm.streams.deleteMessage(names.webhooks.deadLetters.stream, letter.seq, false).catch((error: unknown) => {
          if (!(error instanceof Error && /no message found/i.test(error.message))) throw error;
        });
        replayed++;
      }
      return replayed;
    },
  };
};
