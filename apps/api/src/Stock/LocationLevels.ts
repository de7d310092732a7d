// One location's levels as every read answers them (stock reads, the catalogue's SKU page).
import { Schema } from 'effect';

export const LocationLevels = Schema.Struct({
  location: Schema.String,
  onHand: Schema.Int,
  reserved: Schema.Int,
  safetyStock: Schema.Int,
  /** Units ring-fenced for drops and not yet held there (not available to holds outside the drop). */
  allocated: Schema.Int,
  available: Schema.Int,
  lowStockThreshold: Schema.NullOr(Schema.Int),
});
export type LocationLevels = typeof LocationLevels.Type;
