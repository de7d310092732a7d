// The public analyst event on `<ns>.stock.v1.<kind>.<sku>` (stream STOCK): a stable contract for
// readers outside Larder, so they are read tolerantly (unknown fields dropped).
import { ChannelId, EpochMillis, LocationId, Quantity, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { StockEventKind } from '../Names/StockEventKind.js';
import { JournalSequence } from './JournalSequence.js';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

/** What an event's levels are about: the whole SKU, one location, or what one sales channel may sell. */
export const StockEventScope = Schema.Literal('sku', 'location', 'channel');
export type StockEventScope = typeof StockEventScope.Type;

interface Shape {
  readonly kind: StockEventKind;
  readonly shortfall?: number | undefined;
  readonly scope?: StockEventScope | undefined;
  readonly location?: string | undefined;
  readonly channel?: string | undefined;
}

const shortfallMatchesKind = (e: Shape): true | string =>
  (e.kind === 'shortfall') === (e.shortfall !== undefined) || 'shortfall is present exactly when kind is "shortfall"';

/** `location` names the location of a location-scoped event (scope absent: an event from before scopes); `channel` the channel of a channel-scoped one. */
const fieldsMatchScope = (e: Shape): true | string => {
  const scope = e.scope ?? 'location';
  if (scope === 'location') return (e.location !== undefined && e.channel === undefined) || 'a location-scoped event names its location and no channel';
  if (scope === 'channel') return (e.channel !== undefined && e.location === undefined) || 'a channel-scoped event names its channel and no location';
  return (e.location === undefined && e.channel === undefined) || 'a SKU-scoped event names neither a location nor a channel';
};

/**
 * One change of stock, as analysts see it.
 *
 * - `v`: wire version, always 1 for this shape.
 * - `kind`: `changed` (levels moved), `low` (available at or below the low-stock threshold),
 *   `out` (available reached 0), `back` (available above 0 again), `shortfall` (a sale or an
 *   adjustment took more units than there were). Also the subject token after `stock.v1`.
 * - `sku`: the SKU, also the last subject token.
 * - `scope`: what the levels are about. `location` (also when absent: events published before scopes
 *   existed): one location's levels, named by `location`; `changed`, `low` and `shortfall` are always
 *   per location. `sku`: the SKU as a whole (totals over its locations), on `out` and `back` only.
 *   `channel`: what a hold on the sales channel `channel` may take (lots short of its shelf life left
 *   out), on `out` and `back` only. `back` fires exactly once per rise from 0 of each scope, whatever
 *   the cause, and never twice for one rise (ADR 0019).
 * - `location`: the stock location the levels belong to (location scope only).
 * - `channel`: the sales channel (channel scope only).
 * - `onHand`: units physically present; may be negative after a sale reported without stock.
 * - `reserved`: units held by open reservations (≥ 0).
 * - `available`: onHand − reserved − safetyStock, never below 0.
 * - `safetyStock`: units kept back from sale (≥ 0).
 * - `seq`: journal (INV_EVT) sequence of the append that carried the change; per SKU it only
 *   grows, so a reader keeps the highest and ignores older or repeated deliveries.
 * - `at`: when the change happened (epoch ms, the command's time).
 * - `shortfall`: units missing, only when `kind` is `shortfall`.
 */
export const StockPublicEvent = Schema.Struct({
  v: WireVersion,
  kind: StockEventKind,
  sku: Sku,
  scope: Schema.optional(StockEventScope),
  location: Schema.optional(LocationId),
  channel: Schema.optional(ChannelId),
  onHand: Schema.Int,
  reserved: Schema.Int.pipe(Schema.nonNegative()),
  available: Schema.Int.pipe(Schema.nonNegative()),
  safetyStock: Schema.Int.pipe(Schema.nonNegative()),
  seq: JournalSequence,
  at: EpochMillis,
  shortfall: Schema.optional(Quantity),
}).pipe(Schema.filter(shortfallMatchesKind), Schema.filter(fieldsMatchScope));
export type StockPublicEvent = typeof StockPublicEvent.Type;

const codec = makeJsonCodec(StockPublicEvent, { name: 'StockPublicEvent', onExcessProperty: 'ignore', encode: 'plain' });

export const encodeStockPublicEvent = codec.encode;
export const decodeStockPublicEvent = codec.decode;
