// The sync request path: every command of one event-loop turn for one shard, coalesced into one
// core NATS request on `<ns>.inv.req.<shard>`. Inbound and untrusted: unknown fields refuse it.
import { Command, EpochMillis } from '@larder/domain';
import { Schema } from 'effect';
import { TraceParent } from '../Tracing/TraceParent.js';
import { makeJsonCodec } from './JsonCodec.js';
import { uniqueItemIds } from './UniqueItemIds.js';
import { WireVersion } from './WireVersion.js';

/** Correlates one item of a batch with its answer in the reply batch; unique within a batch. */
export const ItemId = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128));

export const RequestItem = Schema.Struct({
  id: ItemId,
  command: Command,
  /** When the caller stops waiting (epoch ms); an owner past it answers `Retry` with reason `deadline`. */
  deadline: EpochMillis,
  /**
   * The W3C traceparent of the API's `send inv.req` span for this command; only when the API traces.
   * Per item, not a message header: one message carries the commands of many HTTP requests (traces).
   */
  traceparent: Schema.optional(TraceParent),
});
export type RequestItem = typeof RequestItem.Type;

export const RequestBatch = Schema.Struct({
  v: WireVersion,
  items: Schema.NonEmptyArray(RequestItem),
}).pipe(Schema.filter(uniqueItemIds));
export type RequestBatch = typeof RequestBatch.Type;

const codec = makeJsonCodec(RequestBatch, { name: 'RequestBatch', onExcessProperty: 'error', encode: 'plain' });

export const encodeRequestBatch = codec.encode;
export const decodeRequestBatch = codec.decode;
