// The public analyst event of a drop on `<ns>.stock.v1.drop.<kind>.<dropId>.<sku>` (stream STOCK):
// one per SKU of the drop when it opens, sells out and closes. Read tolerantly (unknown fields dropped).
import { DropId, EpochMillis, LocationId, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { JournalSequence } from './JournalSequence.js';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

export const DropEventKinds = ['opened', 'soldout', 'closed'] as const;
export const DropEventKind = Schema.Literal(...DropEventKinds);
export type DropEventKind = typeof DropEventKind.Type;

const Units = Schema.Int.pipe(Schema.nonNegative());

/**
 * A drop's moment at one SKU, with its figures right after it:
 *
 * - `kind`: `opened` (the first decision at or after `opensAt`), `soldout` (the last free unit of the
 *   allocation was held), `closed` (at `closesAt` or by an operator: `returned` units went back to
 *   general stock). Also a subject token.
 * - `allocation`, `held`, `committed`, `remaining`, `returned`, `buyers`, `refusedCustomers`,
 *   `refusedUnits`: as in `GET /v1/drops/{dropId}` for this SKU.
 * - `seq`: the journal sequence of the append that carried it (per SKU it only grows); `at`: when.
 */
export const DropPublicEvent = Schema.Struct({
  v: WireVersion,
  kind: DropEventKind,
  dropId: DropId,
  sku: Sku,
  location: LocationId,
  opensAt: EpochMillis,
  closesAt: EpochMillis,
  allocation: Units,
  held: Units,
  committed: Units,
  remaining: Units,
  returned: Units,
  buyers: Units,
  refusedCustomers: Units,
  refusedUnits: Units,
  seq: JournalSequence,
  at: EpochMillis,
});
export type DropPublicEvent = typeof DropPublicEvent.Type;

const codec = makeJsonCodec(DropPublicEvent, { name: 'DropPublicEvent', onExcessProperty: 'ignore', encode: 'plain' });

export const encodeDropPublicEvent = codec.encode;
export const decodeDropPublicEvent = codec.decode;
