// The `catalog_sku` table: the catalogue entry of a SKU (name, low-stock threshold, safety stock, and the
// replenishment policy restock suggestions use: jsonb, decoded by the API).
// Timestamps are stamped by MikroORM on insert and on every flush that changes the row.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const CatalogSku = defineEntity({
  name: 'CatalogSku',
  tableName: 'catalog_sku',
  properties: {
    sku: p.text().primary(),
    name: p.text(),
    lowStockThreshold: p.integer().nullable(),
    safetyStock: p.integer().default(0),
    replenishment: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type CatalogSku = InferEntity<typeof CatalogSku>;
