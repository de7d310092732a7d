// One journal message on `<ns>.inv.evt.<shard>.<sku>`: the events of one group commit of one
// SKU. The journal is the source of truth, so it is read strictly: unknown fields refuse it.
import { Event } from '@larder/domain';
import { Schema } from 'effect';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

const oneSku = (batch: { readonly events: ReadonlyArray<{ readonly sku: string }> }): true | string => {
  const [first, ...rest] = batch.events;
  const other = rest.find((event) => event.sku !== first?.sku);
  return other === undefined ? true : `a batch holds the events of one SKU, found "${first?.sku}" and "${other.sku}"`;
};

export const EventBatch = Schema.Struct({
  v: WireVersion,
  /** The lease epoch of the owner that appended the batch. */
  epoch: Schema.Int.pipe(Schema.nonNegative()),
  events: Schema.NonEmptyArray(Event),
}).pipe(Schema.filter(oneSku));
export type EventBatch = typeof EventBatch.Type;

const codec = makeJsonCodec(EventBatch, { name: 'EventBatch', onExcessProperty: 'error', encode: 'plain' });

export const encodeEventBatch = codec.encode;
export const decodeEventBatch = codec.decode;
