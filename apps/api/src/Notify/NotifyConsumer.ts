// The notifier's durable pull consumer on STOCK (`notify_back`, filtered to `stock.v1.back.>`), created
// at start-up by whichever API instance comes first and shared by all: each back event is handled by one
// instance. Created for the events published from then on; a consumer that exists is left as it is,
// unless its filter or ack wait differ (then they are updated).
import type { Names } from '@larder/messaging';
import { AckPolicy, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** A back event not acked (or nak'ed) by then is handed to another instance: far longer than one claim and publish. */
const NotifyAckWaitMs = 30_000;
/** Back events handed out and not yet acked, over every instance. */
const MaxAckPending = 1_000;

const isMissing = (error: unknown) => error instanceof Error && /not found/i.test(error.message);

export const ensureNotifyConsumer = async (jsm: JetStreamManager, names: Names): Promise<void> => {
  const stream = names.stock.stream;
  const durable = names.notify.durable;
  const existing = await jsm.consumers.info(stream, durable).catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error)));
  if (existing === null) {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: names.notify.backFilter,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(NotifyAckWaitMs),
      max_deliver: -1,
      max_ack_pending: MaxAckPending,
      deliver_policy: DeliverPolicy.New,
    });
    return;
  }
  if (existing.config.filter_subject === names.notify.backFilter && existing.config.ack_wait === nanos(NotifyAckWaitMs)) return;
  await jsm.consumers.update(stream, durable, { filter_subject: names.notify.backFilter, ack_wait: nanos(NotifyAckWaitMs) });
};
