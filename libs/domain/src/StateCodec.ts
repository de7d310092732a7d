// The schema of a SKU's whole state, for snapshots: persistent maps are written as arrays of
// entries, so a snapshot is plain JSON and decodes to exactly the state that was saved.
import { type Either, type ParseResult, Schema } from 'effect';
import { CommandId, CustomerId, LocationId, OrderId, ReservationId, Sku } from './Ids.js';
import { EpochMillis, Quantity } from './Quantities.js';
import type { SkuState } from './State.js';
import { StockLevels } from './StockLevels.js';

const Position = Schema.Struct({
  ...StockLevels.fields,
  lowStockThreshold: Schema.NullOr(Schema.Int.pipe(Schema.nonNegative())),
});

const Reservation = Schema.Struct({
  reservationId: ReservationId,
  location: LocationId,
  qty: Quantity,
  expiresAt: EpochMillis,
  status: Schema.Literal('held', 'committed', 'released', 'expired'),
  createdAt: EpochMillis,
  closedAt: Schema.NullOr(EpochMillis),
  orderId: Schema.NullOr(OrderId),
  customerId: Schema.NullOr(CustomerId),
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
  commands: generations(CommandId, EpochMillis),
});

export type EncodedSkuState = typeof SkuStateSchema.Encoded;

export const encodeState: (state: SkuState) => EncodedSkuState = Schema.encodeSync(SkuStateSchema);
// Strict: a key or field this version does not know (a mistyped location, say) refuses the snapshot
// rather than silently dropping stock; the loader then replays the journal instead.
const decodeStateEither = Schema.decodeUnknownEither(SkuStateSchema, { onExcessProperty: 'error' });
export const decodeState = (input: unknown): Either.Either<SkuState, ParseResult.ParseError> => decodeStateEither(input);
