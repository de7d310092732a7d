// The owner's answer to a request batch, in one message to the caller's inbox, sent only after
// the events that justify it are in the journal. Read tolerantly: unknown fields are dropped.
import { Schema } from 'effect';
import { makeJsonCodec } from './JsonCodec.js';
import { ReplyOutcome } from './ReplyOutcome.js';
import { ItemId } from './RequestBatch.js';
import { uniqueItemIds } from './UniqueItemIds.js';
import { WireVersion } from './WireVersion.js';

export const ReplyItem = Schema.Struct({
  /** The `id` of the request item this answers. */
  id: ItemId,
  outcome: ReplyOutcome,
});
export type ReplyItem = typeof ReplyItem.Type;

export const ReplyBatch = Schema.Struct({
  v: WireVersion,
  items: Schema.NonEmptyArray(ReplyItem),
}).pipe(Schema.filter(uniqueItemIds));
export type ReplyBatch = typeof ReplyBatch.Type;

const codec = makeJsonCodec(ReplyBatch, { name: 'ReplyBatch', onExcessProperty: 'ignore', encode: 'plain' });

export const encodeReplyBatch = codec.encode;
export const decodeReplyBatch = codec.decode;
