// Tells the customers waiting for a SKU that it is back (docs/demand-signals.md): for each `stock.v1.back`
// event on STOCK (the shared durable `notify_back`), the waiting requests of its scope are claimed in
// Postgres, published as `stock.v1.notify.<sku>` events of at most 500 customers (message ids from the
// back event's STOCK sequence and the batch number), then the back event is acked. Postgres or NATS
// down: nak'ed with a delay and redelivered; the redelivery publishes what was claimed, nothing lost.
// A payload that does not decode is logged and acked: it never stops the consumer.
import { MaxNotifyBatch, notifyBatches, wokenBy } from '@larder/domain';
import { decodeStockPublicEvent, encodeNotifyPublicEvent, notifyMessageId, type Names, type NotifyPublicEvent } from '@larder/messaging';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { Either } from 'effect';
import { startConsumeLoop } from '../Webhooks/ConsumeLoop.js';
import { ensureNotifyConsumer } from './NotifyConsumer.js';
import type { NotifyRequestStore } from './NotifyRequestStore.js';

/** A back event whose claim or publish failed is offered again this much later. */
export const NotifyRetryMs = 5_000;
/** Back events handled at a time by one instance. */
const MaxInFlight = 8;

export interface NotifierDeps {
  readonly names: Names;
  readonly js: JetStreamClient;
  readonly store: NotifyRequestStore;
  /** Epoch ms. */
  readonly now: () => number;
  readonly warn: (detail: string) => void;
}

/** What handling one back event needs: a JetStream publish that resolves on its PubAck. */
export interface NotifyHandlerDeps extends Omit<NotifierDeps, 'js'> {
  readonly publish: (subject: string, data: Uint8Array, msgID: string) => Promise<unknown>;
}

/** The part of a STOCK message the handler reads and settles. */
export type BackMessage = Pick<JsMsg, 'data' | 'seq' | 'subject' | 'ack' | 'nak'>;

export interface BackInStockNotifier {
  readonly stop: () => Promise<void>;
}

const describe = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

/** One back event: claim, publish every batch, ack; or nak it for later. */
export const notifyBackInStock = async (deps: NotifyHandlerDeps, m: BackMessage): Promise<void> => {
  const decoded = decodeStockPublicEvent(m.data);
  if (Either.isLeft(decoded)) {
    deps.warn(`ignored STOCK message ${m.seq} on ${m.subject}: not a public stock event (${decoded.left.reason})`);
    m.ack();
    return;
  }
  const back = decoded.right;
  const woken = wokenBy(back);
  if (back.kind !== 'back' || woken._tag === 'None') {
    m.ack();
    return;
  }
  let customers;
  try {
    customers = await deps.store.claim({ sku: back.sku, channel: woken.channel, backStreamSeq: m.seq, now: deps.now() });
  } catch (error) {
    deps.warn(`back in stock of ${back.sku} (STOCK ${m.seq}): the waiting requests could not be claimed, retried in ${NotifyRetryMs} ms: ${describe(error)}`);
    m.nak(NotifyRetryMs);
    return;
  }
  const batches = notifyBatches(customers, MaxNotifyBatch);
  try {
    for (const [index, batch] of batches.entries()) {
      const event: NotifyPublicEvent = {
        v: 1,
        kind: 'notify',
        sku: back.sku,
        channel: woken.channel,
        customers: batch.map((c) => ({ customerId: c.customerId, requestedAt: c.requestedAt })),
        batch: index + 1,
        batches: batches.length,
        back: { seq: back.seq, streamSeq: m.seq, at: back.at },
        // Claimed together: every batch (and a resend) carries the same time.
        at: batch[0]?.notifiedAt ?? back.at,
      };
      await deps.publish(deps.names.stock.notifySubject(back.sku), encodeNotifyPublicEvent(event), notifyMessageId(m.seq, index + 1));
    }
  } catch (error) {
    deps.warn(`back in stock of ${back.sku} (STOCK ${m.seq}): notifying ${customers.length} customer(s) failed, retried in ${NotifyRetryMs} ms: ${describe(error)}`);
    m.nak(NotifyRetryMs);
    return;
  }
  m.ack();
};

/** Creates the shared consumer if it is missing, then consumes it until stopped. */
export const startBackInStockNotifier = async (jsm: JetStreamManager, deps: NotifierDeps): Promise<BackInStockNotifier> => {
  await ensureNotifyConsumer(jsm, deps.names);
  const handler: NotifyHandlerDeps = { ...deps, publish: (subject, data, msgID) => deps.js.publish(subject, data, { msgID }) };
  const loop = startConsumeLoop(deps.js, {
    stream: deps.names.stock.stream,
    durable: deps.names.notify.durable,
    maxInFlight: MaxInFlight,
    drainMs: 5_000,
    handle: (m) => notifyBackInStock(handler, m),
    warn: (detail) => deps.warn(`notify-me: ${detail}`),
    repair: () => ensureNotifyConsumer(jsm, deps.names),
  });
  return { stop: loop.stop };
};
