// A catalogue entry (`catalog_sku`): what a client sends to PUT /v1/skus/:sku, the row as decoded
// from Postgres, and the entry as answered.
import { LocationId, MaxPackComponents, Quantity, Sku, Units } from '@larder/domain';
import { Schema } from 'effect';
import { ReplenishmentPolicy } from '../Demand/ReplenishmentPolicy.js';

const LotDays = Schema.Int.pipe(Schema.between(0, 3650, { message: () => 'days are a whole number from 0 to 3650' }));

export const CatalogEntryRequest = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  /** `null` clears the threshold (no low-stock signal); left out: unchanged (none for a new entry). */
  lowStockThreshold: Schema.optional(Schema.NullOr(Units)),
  /** Units kept back from availability; left out: unchanged (0 for a new entry). */
  safetyStock: Schema.optional(Units),
  /**
   * Days before a lot's best-before when `stock.v1.lot.expiring` is published (once per lot), for every
   * location of the SKU; `null` clears it; left out: unchanged. Kept by the SKU's owner, not in this entry.
   */
  alertDays: Schema.optional(Schema.NullOr(LotDays)),
  /** Days before a lot's best-before when its free units leave sale; `null` clears it; left out: unchanged. */
  removalDays: Schema.optional(Schema.NullOr(LotDays)),
  /** The policy of other locations (the fields above are `main`'s); a field left out keeps its value. */
  locations: Schema.optional(
    Schema.Array(Schema.Struct({ location: LocationId, safetyStock: Schema.optional(Units), lowStockThreshold: Schema.optional(Schema.NullOr(Units)) })).pipe(Schema.maxItems(100)),
  ),
  /**
   * Makes the SKU a variety pack of these components (each `qty` per pack; 1–20 components, none a
   * pack itself): it has no stock of its own. `null` makes it a plain SKU again; left out: unchanged.
   * Holds already placed keep the recipe they were placed with.
   */
  components: Schema.optional(Schema.NullOr(Schema.Array(Schema.Struct({ sku: Sku, qty: Quantity })).pipe(Schema.maxItems(MaxPackComponents)))),
  /**
   * Lead time, service level and review period of GET /v1/restock-suggestions; `null` clears it (the
   * defaults: 14 days, 0.95); left out: unchanged.
   */
  replenishment: Schema.optional(Schema.NullOr(ReplenishmentPolicy)),
}).annotations({ identifier: 'CatalogEntryRequest' });
export type CatalogEntryRequest = typeof CatalogEntryRequest.Type;

export const CatalogRow = Schema.Struct({
  sku: Sku,
  name: Schema.String,
  lowStockThreshold: Schema.NullOr(Schema.Int),
  safetyStock: Schema.Int,
  /** Null (or absent in a row read before it existed): no policy of its own. */
  replenishment: Schema.optionalWith(Schema.NullOr(ReplenishmentPolicy), { default: () => null }),
  createdAt: Schema.DateFromSelf,
  updatedAt: Schema.DateFromSelf,
});
export type CatalogRow = typeof CatalogRow.Type;

export const CatalogEntryAnswer = Schema.Struct({
  sku: Schema.String,
  name: Schema.String,
  lowStockThreshold: Schema.NullOr(Schema.Int),
  safetyStock: Schema.Int,
  createdAt: Schema.String,
  updatedAt: Schema.String,
  /** `pack`: a variety pack of `components` (no stock of its own). */
  kind: Schema.Literal('sku', 'pack'),
  /** The replenishment policy, when one is set. */
  replenishment: Schema.optional(ReplenishmentPolicy),
  components: Schema.optional(Schema.Array(Schema.Struct({ sku: Schema.String, qty: Schema.Int }))),
}).annotations({ identifier: 'CatalogEntry' });
export type CatalogEntryAnswer = typeof CatalogEntryAnswer.Type;

export const answerOf = (row: CatalogRow, components?: ReadonlyArray<{ readonly sku: string; readonly qty: number }>): CatalogEntryAnswer => ({
  sku: row.sku,
  name: row.name,
  lowStockThreshold: row.lowStockThreshold,
  safetyStock: row.safetyStock,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  kind: components === undefined ? 'sku' : 'pack',
  ...(row.replenishment === null ? {} : { replenishment: row.replenishment }),
  ...(components === undefined ? {} : { components: components.map(({ sku, qty }) => ({ sku, qty })) }),
});
