// The notify-me event on `<ns>.stock.v1.notify.<sku>` (stream STOCK): the customers who asked to be told
// when a SKU is back, published by the API when a `stock.v1.back` event of their scope arrives, for the
// storefront or the mailer to tell them. Read tolerantly (unknown fields dropped).
import { ChannelId, CustomerId, EpochMillis, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { JournalSequence } from './JournalSequence.js';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

/** The webhook event type and subject token (`stock.v1.notify`). */
export const NotifyEventKind = 'notify';

const Count = Schema.Int.pipe(Schema.positive());

/**
 * - `kind`: always `notify`.
 * - `sku`: the SKU back in stock, also the last subject token (a pack's own SKU for a pack).
 * - `channel`: the sales channel the customers asked about; null: the SKU as a whole.
 * - `customers`: who to tell, each with when they asked (epoch ms), oldest first; at most 500.
 * - `batch`, `batches`: this message's number (from 1) among the messages of this back event.
 * - `back`: the `stock.v1.back` event that woke them: its journal sequence (`seq`, as in that event),
 *   its STOCK stream sequence (`streamSeq`) and when stock came back (`at`).
 * - `at`: when the customers were marked notified (epoch ms); the same in every batch and on a resend.
 *
 * Each customer's request is notified once; a resend (the API stopped between publishing and
 * acknowledging the back event, past STOCK's two-minute duplicate window) repeats the same batches.
 */
export const NotifyPublicEvent = Schema.Struct({
  v: WireVersion,
  kind: Schema.Literal(NotifyEventKind),
  sku: Sku,
  channel: Schema.NullOr(ChannelId),
  customers: Schema.Array(Schema.Struct({ customerId: CustomerId, requestedAt: EpochMillis })).pipe(Schema.minItems(1)),
  batch: Count,
  batches: Count,
  back: Schema.Struct({ seq: JournalSequence, streamSeq: Count, at: EpochMillis }),
  at: EpochMillis,
}).pipe(Schema.filter((e) => e.batch <= e.batches || 'batch is at most batches'));
export type NotifyPublicEvent = typeof NotifyPublicEvent.Type;

const codec = makeJsonCodec(NotifyPublicEvent, { name: 'NotifyPublicEvent', onExcessProperty: 'ignore', encode: 'plain' });

export const encodeNotifyPublicEvent = codec.encode;
export const decodeNotifyPublicEvent = codec.decode;

/**
 * `Nats-Msg-Id` of batch `batch` of the back event at STOCK sequence `backStreamSeq`: publishing it again
 * within STOCK's duplicate window (a redelivered back event) is dropped by JetStream.
 */
export const notifyMessageId = (backStreamSeq: number, batch: number) => `notify:${backStreamSeq}:${batch}`;
