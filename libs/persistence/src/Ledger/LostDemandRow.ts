// One row of `lost_demand`: the holds of one journal batch refused for want of stock at one location for
// one customer (or for holds naming none) (DESIGN.md §10 "Demand"). Written by the ledger projector beside
// the batch's ledger rows.
import { Schema } from 'effect';

export const LostDemandRow = Schema.Struct({
  /** Journal (INV_EVT) sequence of the batch that carried the refusals. */
  seq: Schema.Int.pipe(Schema.positive()),
  location: Schema.String,
  /** The customer the refused holds named; '' for holds that named none. */
  customer: Schema.String,
  sku: Schema.String,
  /** The batch's first such refusal at this location, epoch milliseconds. */
  at: Schema.Int.pipe(Schema.nonNegative()),
  /** A named customer's largest ask among the refused holds; for '' the units asked, summed. */
  units: Schema.Int.pipe(Schema.positive()),
  /** How many holds were refused. */
  refusals: Schema.Int.pipe(Schema.positive()),
});
export type LostDemandRow = typeof LostDemandRow.Type;
