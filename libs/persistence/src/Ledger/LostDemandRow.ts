// One row of `lost_demand`: the holds of one journal batch refused for want of stock at one location,
// summed (DESIGN.md §10 "Demand"). Written by the ledger projector beside the batch's ledger rows.
import { Schema } from 'effect';

export const LostDemandRow = Schema.Struct({
  /** Journal (INV_EVT) sequence of the batch that carried the refusals. */
  seq: Schema.Int.pipe(Schema.positive()),
  location: Schema.String,
  sku: Schema.String,
  /** The batch's first such refusal at this location, epoch milliseconds. */
  at: Schema.Int.pipe(Schema.nonNegative()),
  /** Σ of the units the refused holds asked for. */
  units: Schema.Int.pipe(Schema.positive()),
  /** How many holds were refused. */
  refusals: Schema.Int.pipe(Schema.positive()),
  /** Distinct customers the refused holds named (0 when none named one). */
  customers: Schema.Int.pipe(Schema.nonNegative()),
});
export type LostDemandRow = typeof LostDemandRow.Type;
