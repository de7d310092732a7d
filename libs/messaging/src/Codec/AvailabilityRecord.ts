// The value under `<sku>` in KV `<ns>_availability` (ADR 0019): what was last announced of each scope of a
// SKU or pack (in stock or out) and at which journal sequence, with the announcements decided but not yet
// confirmed published. Written with compare-and-set by the SKU's owner; read back by the next owner.
import { Sku } from '@larder/domain';
import { Schema } from 'effect';
import { makeJsonCodec } from './JsonCodec.js';
import { StockPublicEvent } from './StockPublicEvent.js';

/** An `out` or `back` decided with its `Nats-Msg-Id`: published again, with the same id, until confirmed. */
export const PendingAnnouncement = Schema.Struct({
  msgID: Schema.String,
  event: StockPublicEvent,
});
export type PendingAnnouncement = typeof PendingAnnouncement.Type;

export const StoredAvailability = Schema.Struct({
  v: Schema.Literal(1),
  sku: Sku,
  /** Journal sequence of the last position that changed an announcement (0 for packs). */
  seq: Schema.Int.pipe(Schema.nonNegative()),
  /** Per scope key (`sku`, `location:<id>`, `channel:<id>`): last announced in stock. */
  inStock: Schema.Record({ key: Schema.String, value: Schema.Boolean }),
  /** Decided, written here first, then published; emptied once every one is acknowledged. */
  pending: Schema.Array(PendingAnnouncement),
});
export type StoredAvailability = typeof StoredAvailability.Type;

const codec = makeJsonCodec(StoredAvailability, { name: 'StoredAvailability', onExcessProperty: 'ignore', encode: 'plain' });
export const encodeStoredAvailability = codec.encode;
export const decodeStoredAvailability = codec.decode;
