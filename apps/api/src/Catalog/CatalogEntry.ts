// A catalogue entry (`catalog_sku`): what a client sends to PUT /v1/skus/:sku, the row as decoded
// from Postgres, and the entry as answered.
import { Sku, Units } from '@larder/domain';
import { Schema } from 'effect';

export const CatalogEntryRequest = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  /** `null` clears the threshold (no low-stock signal); left out: unchanged (none for a new entry). */
  lowStockThreshold: Schema.optional(Schema.NullOr(Units)),
  /** Units kept back from availability; left out: unchanged (0 for a new entry). */
  safetyStock: Schema.optional(Units),
}).annotations({ identifier: 'CatalogEntryRequest' });
export type CatalogEntryRequest = typeof CatalogEntryRequest.Type;

export const CatalogRow = Schema.Struct({
  sku: Sku,
  name: Schema.String,
  lowStockThreshold: Schema.NullOr(Schema.Int),
  safetyStock: Schema.Int,
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
}).annotations({ identifier: 'CatalogEntry' });
export type CatalogEntryAnswer = typeof CatalogEntryAnswer.Type;

export const answerOf = (row: CatalogRow): CatalogEntryAnswer => ({
  sku: row.sku,
  name: row.name,
  lowStockThreshold: row.lowStockThreshold,
  safetyStock: row.safetyStock,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
