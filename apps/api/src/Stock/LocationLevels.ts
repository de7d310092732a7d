// One location's levels as every read answers them (stock reads, the catalogue's SKU page).
import { Schema } from 'effect';

/** One lot's units at the location (DESIGN.md §10 "Lots and shelf life"). */
export const LotLevels = Schema.Struct({
  code: Schema.String,
  bestBefore: Schema.String,
  producedOn: Schema.NullOr(Schema.String),
  onHand: Schema.Int,
  /** `quarantined` (POST /v1/lots/{sku}/{code}/quarantine) and `removed` (its removal date came) are out of sale. */
  status: Schema.Literal('sellable', 'quarantined', 'removed'),
}).annotations({ identifier: 'LotLevels' });

export const LocationLevels = Schema.Struct({
  location: Schema.String,
  onHand: Schema.Int,
  reserved: Schema.Int,
  safetyStock: Schema.Int,
  /** Units ring-fenced for drops and not yet held there (not available to holds outside the drop). */
  allocated: Schema.Int,
  available: Schema.Int,
  lowStockThreshold: Schema.NullOr(Schema.Int),
  /** Units of lots out of sale here (quarantined or past their removal date): on hand, not available. */
  blocked: Schema.Int,
  /** The lots here, earliest best-before first (none for stock received without a lot). */
  lots: Schema.Array(LotLevels),
  /** Open holds here placed on a channel with a shelf life, summed by the earliest best-before they may ship with. */
  heldFrom: Schema.Array(Schema.Struct({ from: Schema.String, qty: Schema.Int })),
});
export type LocationLevels = typeof LocationLevels.Type;
