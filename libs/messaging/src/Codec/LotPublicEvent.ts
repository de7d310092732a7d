// The public analyst event of a lot on `<ns>.stock.v1.lot.<kind>.<sku>` (stream STOCK): a lot announced
// as expiring (once per lot, at best-before − alertDays), taken out of sale by its removal date,
// quarantined or released — one per location it is at. Read tolerantly (unknown fields dropped).
import { CalendarDate, EpochMillis, LocationId, LotCode, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { JournalSequence } from './JournalSequence.js';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

export const LotEventKinds = ['expiring', 'removed', 'quarantined', 'released'] as const;
export const LotEventKind = Schema.Literal(...LotEventKinds);
export type LotEventKind = typeof LotEventKind.Type;

/**
 * - `kind`: `expiring` (best-before − alertDays reached; once per lot), `removed` (best-before −
 *   removalDays reached: `units` here left sale), `quarantined` (`units` here left sale, `note` why),
 *   `released` (`units` here back on sale). Also a subject token.
 * - `seq`: the journal sequence of the append that carried it; `at`: when.
 */
export const LotPublicEvent = Schema.Struct({
  v: WireVersion,
  kind: LotEventKind,
  sku: Sku,
  lot: LotCode,
  bestBefore: Schema.NullOr(CalendarDate),
  location: LocationId,
  units: Schema.Int.pipe(Schema.nonNegative()),
  note: Schema.NullOr(Schema.String),
  seq: JournalSequence,
  at: EpochMillis,
});
export type LotPublicEvent = typeof LotPublicEvent.Type;

const codec = makeJsonCodec(LotPublicEvent, { name: 'LotPublicEvent', onExcessProperty: 'ignore', encode: 'plain' });

export const encodeLotPublicEvent = codec.encode;
export const decodeLotPublicEvent = codec.decode;
