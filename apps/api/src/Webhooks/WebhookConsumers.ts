// An endpoint's two durable pull consumers (ADR 0015): `webhook_<id>` on STOCK, filtered to its events,
// starting at the events published after it was registered; `webhook_replay_<id>` on WEBHOOK_REPLAY.
// Every API instance consumes from the same two, so a delivery survives any instance's restart.
import { publicEventFilter, type Names, type PublicEventType } from '@larder/messaging';
import { AckPolicy, DeliverPolicy, type ConsumerConfig, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** Deliveries waiting for their next attempt count here too: past this, a dead endpoint's backlog waits in STOCK. */
const MaxAckPending = 10_000;

const isMissing = (error: unknown) => error instanceof Error && /not found/i.test(error.message);

/** A delivery not acked (or nak'ed) by then is given to another instance: longer than one HTTP attempt. */
export const ackWaitMs = (timeoutMs: number) => timeoutMs + 30_000;

const ensure = async (jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig> & { durable_name: string; filter_subject: string }) => {
  const existing = await jsm.consumers.info(stream, config.durable_name).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  if (existing === null) {
    await jsm.consumers.add(stream, config);
    return;
  }
  if (existing.config.filter_subject === config.filter_subject && existing.config.ack_wait === config.ack_wait) return;
  await jsm.consumers.update(stream, config.durable_name, { filter_subject: config.filter_subject, ...(config.ack_wait === undefined ? {} : { ack_wait: config.ack_wait }) });
};

export const ensureWebhookConsumers = async (jsm: JetStreamManager, names: Names, endpointId: string, events: ReadonlyArray<PublicEventType>, timeoutMs: number) => {
  const common = { ack_policy: AckPolicy.Explicit, ack_wait: nanos(ackWaitMs(timeoutMs)), max_deliver: -1, max_ack_pending: MaxAckPending };
  await ensure(jsm, names.stock.stream, {
    ...common,
    durable_name: names.webhooks.durable(endpointId),
    filter_subject: publicEventFilter(names, events),
    deliver_policy: DeliverPolicy.New,
  });
  await ensure(jsm, names.webhooks.replays.stream, {
    ...common,
    durable_name: names.webhooks.replays.durable(endpointId),
    filter_subject: names.webhooks.replays.subject(endpointId),
    deliver_policy: DeliverPolicy.All,
  });
};

export const deleteWebhookConsumers = async (jsm: JetStreamManager, names: Names, endpointId: string) => {
  const drop = (stream: string, durable: string) =>
    jsm.consumers.delete(stream, durable).then(
      () => undefined,
      (error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)),
    );
  await drop(names.stock.stream, names.webhooks.durable(endpointId));
  await drop(names.webhooks.replays.stream, names.webhooks.replays.durable(endpointId));
};
