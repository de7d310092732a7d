// Reads every stored message of one subject of a stream, oldest first, through an ephemeral pull
// consumer (nats-server 2.9: one filter subject). For the delivery log and the dead letters, which
// are capped per endpoint, so the whole subject fits in memory.
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

export interface StoredMessage {
  readonly seq: number;
  readonly data: Uint8Array;
}

export const readSubject = async (js: JetStreamClient, jsm: JetStreamManager, stream: string, subject: string): Promise<ReadonlyArray<StoredMessage>> => {
  const info = await jsm.consumers.add(stream, {
    filter_subject: subject,
    deliver_policy: DeliverPolicy.All,
    ack_policy: AckPolicy.None,
    inactive_threshold: nanos(30_000),
    mem_storage: true,
  });
  const found: Array<StoredMessage> = [];
  try {
    let pending = info.num_pending;
    const consumer = await js.consumers.get(stream, info.name);
    while (pending > 0) {
      const batch = await consumer.fetch({ max_messages: Math.min(pending, 1_000), expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        pending = m.info.pending;
        found.push({ seq: m.seq, data: m.data });
      }
      if (got === 0) break;
    }
  } finally {
    await jsm.consumers.delete(stream, info.name).catch(() => undefined);
  }
  return found;
};
