// Reads the messages a stream holds for one filter subject, in one pass, through an ephemeral pull
// consumer (nats-server 2.9: one filter subject per consumer) that is deleted afterwards: the last
// journal sequence per SKU on takeover, an endpoint's webhook log or dead letters. For subjects whose
// stored messages fit in memory; `onMessage` sees each one, oldest first.
import { AckPolicy, type DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

export interface ReadStoredOptions {
  readonly filterSubject: string;
  /** `All` for every message, `LastPerSubject` for the newest of each subject. */
  readonly deliverPolicy: DeliverPolicy;
  /** Messages per fetch. */
  readonly batch: number;
}

export const readStored = async (
  js: JetStreamClient,
  jsm: JetStreamManager,
  stream: string,
  options: ReadStoredOptions,
  onMessage: (message: JsMsg) => void,
): Promise<void> => {
  const info = await jsm.consumers.add(stream, {
    filter_subject: options.filterSubject,
    deliver_policy: options.deliverPolicy,
    ack_policy: AckPolicy.None,
    inactive_threshold: nanos(30_000),
    mem_storage: true,
  });
  try {
    let pending = info.num_pending;
    const consumer = await js.consumers.get(stream, info.name);
    while (pending > 0) {
      const batch = await consumer.fetch({ max_messages: Math.min(pending, options.batch), expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        pending = m.info.pending;
        onMessage(m);
      }
      if (got === 0) break;
    }
  } finally {
    await jsm.consumers.delete(stream, info.name).catch(() => undefined);
  }
};
