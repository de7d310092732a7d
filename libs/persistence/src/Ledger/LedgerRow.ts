// One audit-ledger entry as the projector writes it and the API reads it: the event's who (`actor`), why
// (`reason`), `reference`, when (`at`, epoch ms), levels before and after, its quantity and the rest (`details`).
import { Schema } from 'effect';

/** A location's levels as an event records them (jsonb `before` / `after`). */
export const LedgerLevels = Schema.Struct({
  onHand: Schema.Int,
  reserved: Schema.Int,
  safetyStock: Schema.Int,
  /** Units ring-fenced for drops (absent when none). */
  allocated: Schema.optionalWith(Schema.Int, { exact: true }),
});
export type LedgerLevels = typeof LedgerLevels.Type;

export const LedgerRow = Schema.Struct({
  /** Journal (INV_EVT) sequence of the batch that carried the event. */
  seq: Schema.Int.pipe(Schema.positive()),
  /** Position of the event in its batch, from 0. */
  idx: Schema.Int.pipe(Schema.nonNegative()),
  sku: Schema.String,
  location: Schema.String,
  /** The event's `_tag`, e.g. `StockReserved`. */
  eventType: Schema.String,
  commandId: Schema.String,
  actor: Schema.String,
  reason: Schema.String,
  reference: Schema.NullOr(Schema.String),
  /** When it happened, epoch milliseconds. */
  at: Schema.Int.pipe(Schema.nonNegative()),
  before: LedgerLevels,
  after: LedgerLevels,
  /** The event's qty, delta or shortfall (a drop's `added` or `returned` units); null for events that move no units (extensions, policies). */
  quantity: Schema.NullOr(Schema.Int),
  /** The rest of the event: reservationId, orderId, expiresAt, … */
  details: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
});
export type LedgerRow = typeof LedgerRow.Type;
