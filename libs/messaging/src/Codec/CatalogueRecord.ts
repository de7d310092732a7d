// The values of KV bucket `catalogue` (ADR 0016): a pack's recipe under `pack.<sku>`, a stock
// location under `location.<id>` and a sales channel under `channel.<id>`. Written by the API (PUT
// /v1/skus with components, PUT /v1/locations, PUT /v1/channels), watched by every API instance (hold expansion, location order) and by runners (pack
// projections). Read tolerantly: fields a later version adds are ignored.
import { ChannelId, ChannelTerms, EpochMillis, LocationId, Quantity, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { makeJsonCodec } from './JsonCodec.js';

export const PackRecipeRecord = Schema.Struct({
  v: Schema.Literal(1),
  kind: Schema.Literal('pack'),
  pack: Sku,
  /** Each component SKU and how many of it one pack holds; one level deep (a component is never a pack). */
  components: Schema.Array(Schema.Struct({ sku: Sku, qty: Quantity })).pipe(Schema.minItems(1)),
  updatedAt: EpochMillis,
  updatedBy: Schema.String,
});
export type PackRecipeRecord = typeof PackRecipeRecord.Type;

export const LocationRecord = Schema.Struct({
  v: Schema.Literal(1),
  kind: Schema.Literal('location'),
  location: LocationId,
  name: Schema.String,
  /** The higher, the sooner a line without a location is filled here. */
  priority: Schema.Int,
  updatedAt: EpochMillis,
  updatedBy: Schema.String,
});
export type LocationRecord = typeof LocationRecord.Type;

/**
 * A sales channel (DESIGN.md §10 "Lots and shelf life"): a lot is sellable on it while
 * bestBefore − (today + handlingDays) ≥ minShelfLifeDays. Holds and sales naming it carry these terms.
 */
export const ChannelRecord = Schema.Struct({
  v: Schema.Literal(1),
  kind: Schema.Literal('channel'),
  channel: ChannelId,
  name: Schema.String,
  minShelfLifeDays: ChannelTerms.fields.minShelfLifeDays,
  handlingDays: ChannelTerms.fields.handlingDays,
  updatedAt: EpochMillis,
  updatedBy: Schema.String,
});
export type ChannelRecord = typeof ChannelRecord.Type;

export const CatalogueRecord = Schema.Union(PackRecipeRecord, LocationRecord, ChannelRecord);
export type CatalogueRecord = typeof CatalogueRecord.Type;

const codec = makeJsonCodec(CatalogueRecord, { name: 'CatalogueRecord', onExcessProperty: 'ignore', encode: 'plain' });
export const encodeCatalogueRecord = codec.encode;
export const decodeCatalogueRecord = codec.decode;
