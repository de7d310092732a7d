// Every stored message of one subject (an endpoint's delivery log or dead letters, both capped per
// endpoint, so the whole subject fits in memory), oldest first.
import { readStored } from '@larder/messaging';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

export interface StoredMessage {
  readonly seq: number;
  readonly data: Uint8Array;
}

export const readSubject = async (js: JetStreamClient, jsm: JetStreamManager, stream: string, subject: string): Promise<ReadonlyArray<StoredMessage>> => {
  const found: Array<StoredMessage> = [];
  await readStored(js, jsm, stream, { filterSubject: subject, deliverPolicy: DeliverPolicy.All, batch: 1_000 }, (m) => found.push({ seq: m.seq, data: m.data }));
  return found;
};
