// What a webhook receiver gets (docs/shop-connection.md): `{type, timestamp, data}`, where data is the
// public event plus `version` (its journal seq: per SKU it only grows, so a receiver drops stale ones).
import { decodeDropPublicEvent, decodeLotPublicEvent, decodeNotifyPublicEvent, decodeStockPublicEvent, type PublicEventType } from '@larder/messaging';
import { Either, Schema } from 'effect';

const WebhookData = Schema.Record({ key: Schema.String, value: Schema.Unknown });
type WebhookData = typeof WebhookData.Type;

/** One event on its way to one endpoint; the same on every attempt and after a replay. */
export const Delivery = Schema.Struct({
  /** `webhook-id`: stable per event across retries and replays, so a receiver can drop repeats. */
  webhookId: Schema.String,
  type: Schema.String,
  /** When the event happened (epoch ms). */
  at: Schema.Int,
  data: WebhookData,
});
export type Delivery = typeof Delivery.Type;

/** `evt_<STOCK stream sequence>`: one id per public event. */
const webhookIdOf = (streamSeq: number) => `evt_${streamSeq}`;

/** The delivery of a STOCK message of `type`, or why its body is not a public event of that type. */
export const deliveryOf = (type: PublicEventType, streamSeq: number, body: Uint8Array): Either.Either<Delivery, string> => {
  // A notify event's version is the journal sequence of the back event that woke its customers.
  const event: Either.Either<{ readonly at: number; readonly version: number; readonly data: object }, { readonly reason: string }> = type.startsWith('stock.v1.drop.')
    ? Either.map(decodeDropPublicEvent(body), (e) => ({ at: e.at, version: e.seq, data: e }))
    : type.startsWith('stock.v1.lot.')
      ? Either.map(decodeLotPublicEvent(body), (e) => ({ at: e.at, version: e.seq, data: e }))
      : type === 'stock.v1.notify'
        ? Either.map(decodeNotifyPublicEvent(body), (e) => ({ at: e.at, version: e.back.seq, data: e }))
        : Either.map(decodeStockPublicEvent(body), (e) => ({ at: e.at, version: e.seq, data: e }));
  return Either.match(event, {
    onLeft: (error) => Either.left(error.reason),
    onRight: (e) => Either.right({ webhookId: webhookIdOf(streamSeq), type, at: e.at, data: { ...e.data, version: e.version } }),
  });
};

/** The exact bytes that are signed and sent. */
export const payloadOf = (delivery: Delivery) =>
  JSON.stringify({ type: delivery.type, timestamp: new Date(delivery.at).toISOString(), data: delivery.data });
