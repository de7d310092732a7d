// The schema of a SKU's whole state, for snapshots: persistent maps are written as arrays of
// entries, so a snapshot is plain JSON and decodes to exactly the state that was saved.
import { Either, HashMap, type ParseResult, Schema } from 'effect';
import { emptyGenerations, type Generations } from './Generations.js';
import { CommandId, CustomerId, DropId, LocationId, OrderId, ReservationId, Sku } from './Ids.js';
import { EpochMillis, Quantity } from './Quantities.js';
import { ReservationStatus } from './ReservationStatus.js';
import { withShelfHeld, type SkuState } from './State.js';
import { StockLevels } from './StockLevels.js';
import { CalendarDate, ChannelTerms, LotCode } from './Lots/Lot.js';
import { noLotPolicy } from './Lots/LotStock.js';

const Position = Schema.Struct({
  ...StockLevels.fields,
  lowStockThreshold: Schema.NullOr(Schema.Int.pipe(Schema.nonNegative())),
});

const Reservation = Schema.Struct({
  reservationId: ReservationId,
  location: LocationId,
  qty: Quantity,
  expiresAt: EpochMillis,
  status: ReservationStatus,
  createdAt: EpochMillis,
  closedAt: Schema.NullOr(EpochMillis),
  orderId: Schema.NullOr(OrderId),
  customerId: Schema.NullOr(CustomerId),
  // Absent from snapshots written before drops: a hold outside any drop.
  dropId: Schema.optionalWith(Schema.NullOr(DropId), { default: () => null }),
  // Absent from snapshots written before lots: no channel, any lot.
  channel: Schema.optionalWith(Schema.NullOr(ChannelTerms), { default: () => null }),
  sellableFrom: Schema.optionalWith(Schema.NullOr(CalendarDate), { default: () => null }),
  lots: Schema.optionalWith(Schema.Array(Schema.Struct({ lot: LotCode, qty: Quantity })), { exact: true }),
});

const UnitsByLocation = Schema.Record({ key: LocationId, value: Schema.Int });

const LotRecord = Schema.Struct({
  code: LotCode,
  bestBefore: CalendarDate,
  producedOn: Schema.NullOr(CalendarDate),
  establishment: Schema.NullOr(Schema.String),
  units: UnitsByLocation,
  quarantine: Schema.NullOr(Schema.Struct({ since: EpochMillis, note: Schema.String, units: UnitsByLocation })),
  alerted: Schema.Boolean,
  removed: Schema.Boolean,
});

const LotPolicy = Schema.Struct({ alertDays: Schema.NullOr(Schema.Int), removalDays: Schema.NullOr(Schema.Int) });

const Refusal = Schema.Struct({
  qty: Quantity,
  location: LocationId,
  available: Schema.Int,
  dropId: Schema.optionalWith(DropId, { exact: true }),
  reason: Schema.optionalWith(Schema.Literal('insufficient_stock', 'drop_not_open', 'drop_closed', 'limit_exceeded'), { exact: true }),
});

const Count = Schema.Int.pipe(Schema.nonNegative());
const NullableTime = Schema.NullOr(EpochMillis);

const DropPosition = Schema.Struct({
  dropId: DropId,
  location: LocationId,
  opensAt: EpochMillis,
  closesAt: EpochMillis,
  limitPerCustomer: Quantity,
  allocation: Count,
  held: Count,
  committed: Count,
  openedAt: NullableTime,
  soldOutAt: NullableTime,
  closedAt: NullableTime,
  returned: Count,
  customers: Schema.HashMap({ key: CustomerId, value: Count }),
  refusedCustomers: Schema.HashMap({ key: CustomerId, value: Count }),
  refusedUnits: Count,
});

const generations = <K extends Schema.Schema.Any, V extends Schema.Schema.Any>(key: K, value: V) =>
  Schema.Struct({
    since: Schema.Number,
    current: Schema.HashMap({ key, value }),
    previous: Schema.HashMap({ key, value }),
  });

export const SkuStateSchema = Schema.Struct({
  sku: Sku,
  version: Schema.Int.pipe(Schema.nonNegative()),
  positions: Schema.Record({ key: LocationId, value: Position }),
  open: Schema.HashMap({ key: ReservationId, value: Reservation }),
  closed: generations(ReservationId, Reservation),
  // Absent from snapshots written before refusals were recorded: none remembered then.
  refused: Schema.optionalWith(generations(ReservationId, Refusal), { default: emptyGenerations }),
  commands: generations(CommandId, EpochMillis),
  // Absent from snapshots written before drops: none.
  drops: Schema.optionalWith(Schema.Record({ key: DropId, value: DropPosition }), { default: () => ({}) }),
  // Absent from snapshots written before lots: none.
  lots: Schema.optionalWith(Schema.Record({ key: LotCode, value: LotRecord }), { default: () => ({}) }),
  lotPolicy: Schema.optionalWith(LotPolicy, { default: () => noLotPolicy }),
});

export type EncodedSkuState = typeof SkuStateSchema.Encoded;

// forEach, not the iterator: about 3× faster over Effect's HashMap.
const entries = <K, V>(map: HashMap.HashMap<K, V>): Array<readonly [K, V]> => {
  const out: Array<readonly [K, V]> = [];
  HashMap.forEach(map, (value, key) => out.push([key, value]));
  return out;
};
const encodeGenerations = <K, V>(g: Generations<K, V>) => ({ since: g.since, current: entries(g.current), previous: entries(g.previous) });

/**
 * The snapshot form of a state. Written by hand, not with `Schema.encodeSync`: it runs on the
 * actor's event loop for hot SKUs with tens of thousands of holds, where the schema encoder took
 * ~40 µs per hold (measured: 780 ms for 20,000 holds; by hand: ~60 ms). Every value is already in its encoded form (brands are plain strings and
 * numbers), so this is the same shape; `StateCodec.test.ts` decodes it back with the schema.
 */
export const encodeState = (state: SkuState): EncodedSkuState => ({
  sku: state.sku,
  version: state.version,
  positions: state.positions,
  open: entries(state.open),
  closed: encodeGenerations(state.closed),
  refused: encodeGenerations(state.refused),
  commands: encodeGenerations(state.commands),
  drops: Object.fromEntries(
    Object.entries(state.drops).map(([id, d]) => [id, { ...d, customers: entries(d.customers), refusedCustomers: entries(d.refusedCustomers) }]),
  ),
  lots: state.lots,
  lotPolicy: state.lotPolicy,
});
// Strict: a key or field this version does not know (a mistyped location, say) refuses the snapshot
// rather than silently dropping stock; the loader then replays the journal instead.
const decodeStateEither = Schema.decodeUnknownEither(SkuStateSchema, { onExcessProperty: 'error' });
export const decodeState = (input: unknown): Either.Either<SkuState, ParseResult.ParseError> => Either.map(decodeStateEither(input), withShelfHeld);
