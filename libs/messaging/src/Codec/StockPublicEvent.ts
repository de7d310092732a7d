// The public analyst event on `<ns>.stock.v1.<kind>.<sku>` (stream STOCK): a stable contract for
// readers outside Larder, so they are read tolerantly (unknown fields dropped).
import { EpochMillis, LocationId, Quantity, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { StockEventKind } from '../Names/StockEventKind.js';
import { JournalSequence } from './JournalSequence.js';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

const shortfallMatchesKind = (e: { readonly kind: StockEventKind; readonly shortfall?: number | undefined }): true | string =>
  (e.kind === 'shortfall') === (e.shortfall !== undefined) || 'shortfall is present exactly when kind is "shortfall"';

/**
 * One change of stock, as analysts see it.
 *
 * - `v`: wire version, always 1 for this shape.
 * - `kind`: `changed` (levels moved), `low` (available at or below the low-stock threshold),
 *   `out` (available reached 0), `back` (available above 0 again), `shortfall` (a sale or an
 *   adjustment took more units than there were). Also the subject token after `stock.v1`.
 * - `sku`: the SKU, also the last subject token.
 * - `location`: the stock location the levels belong to.
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
  location: LocationId,
  onHand: Schema.Int,
  reserved: Schema.Int.pipe(Schema.nonNegative()),
  available: Schema.Int.pipe(Schema.nonNegative()),
  safetyStock: Schema.Int.pipe(Schema.nonNegative()),
  seq: JournalSequence,
  at: EpochMillis,
  shortfall: Schema.optional(Quantity),
}).pipe(Schema.filter(shortfallMatchesKind));
export type StockPublicEvent = typeof StockPublicEvent.Type;

const codec = makeJsonCodec(StockPublicEvent, { name: 'StockPublicEvent', onExcessProperty: 'ignore', encode: 'plain' });

export const encodeStockPublicEvent = codec.encode;
export const decodeStockPublicEvent = codec.decode;
