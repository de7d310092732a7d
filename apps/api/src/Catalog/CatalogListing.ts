// The answers of GET /v1/skus and GET /v1/skus/{sku}: a catalogue entry with its policy and the live
// stock figures of this instance's in-memory projection (the same read model as GET /v1/stock).
import { StockStatus, type StockView } from '@larder/messaging';
import { Schema } from 'effect';
import { LocationLevels } from '../Stock/LocationLevels.js';
import type { CatalogRow } from './CatalogEntry.js';

/** The status a stock read reports (the projection's own). */
export const CatalogStatus = StockStatus;
export type CatalogStatus = StockStatus;

const Policy = Schema.Struct({ lowStockThreshold: Schema.NullOr(Schema.Int), safetyStock: Schema.Int });

const Figures = {
  onHand: Schema.Int,
  reserved: Schema.Int,
  /** Units ring-fenced for drops and not yet held there. */
  allocated: Schema.Int,
  available: Schema.Int,
  safetyStock: Schema.Int,
  shortfall: Schema.Int,
  /** Journal sequence of the SKU's last change: only grows. */
  version: Schema.Int,
  /** When that change happened (ISO 8601). */
  asOf: Schema.String,
};

const Stock = Schema.Struct(Figures);


const DropShare = Schema.Struct({
  dropId: Schema.String,
  location: Schema.String,
  opensAt: Schema.String,
  closesAt: Schema.String,
  closedAt: Schema.NullOr(Schema.String),
  limitPerCustomer: Schema.Int,
  allocation: Schema.Int,
  held: Schema.Int,
  committed: Schema.Int,
  remaining: Schema.Int,
  returned: Schema.Int,
  soldOutAt: Schema.NullOr(Schema.String),
});

const entryFields = {
  sku: Schema.String,
  name: Schema.String,
  policy: Policy,
  /** As stock reads report it; `out` for a SKU that never had stock (`stock` is then null). */
  status: CatalogStatus,
  /** `pack`: a variety pack (its stock is its components'; see `components` on the entry). */
  kind: Schema.Literal('sku', 'pack'),
  createdAt: Schema.String,
  updatedAt: Schema.String,
};

export const CatalogItem = Schema.Struct({ ...entryFields, stock: Schema.NullOr(Stock) }).annotations({ identifier: 'CatalogItem' });
export type CatalogItem = typeof CatalogItem.Type;

export const CatalogPageAnswer = Schema.Struct({
  items: Schema.Array(CatalogItem),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: Schema.NullOr(Schema.String),
}).annotations({ identifier: 'CatalogPage' });

export const CatalogDetail = Schema.Struct({
  ...entryFields,
  /** A pack's components: units per pack and each one's available now. */
  components: Schema.optional(Schema.Array(Schema.Struct({ sku: Schema.String, qty: Schema.Int, available: Schema.Int }))),
  stock: Schema.NullOr(Schema.Struct({ ...Figures, locations: Schema.Array(LocationLevels), drops: Schema.Array(DropShare) })),
}).annotations({ identifier: 'CatalogDetail' });
export type CatalogDetail = typeof CatalogDetail.Type;

export const statusOf = (view: StockView | undefined): CatalogStatus => view?.status ?? 'out';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

const entryOf = (row: CatalogRow, view: StockView | undefined) => ({
  sku: row.sku,
  name: row.name,
  policy: { lowStockThreshold: row.lowStockThreshold, safetyStock: row.safetyStock },
  status: statusOf(view),
  kind: view?.kind ?? 'sku',
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const figuresOf = (view: StockView) => ({
  onHand: view.onHand,
  reserved: view.reserved,
  allocated: view.allocated,
  available: view.available,
  safetyStock: view.safetyStock,
  shortfall: view.shortfall,
  version: view.seq,
  asOf: iso(view.asOf),
});

export const catalogItemOf = (row: CatalogRow, view: StockView | undefined): CatalogItem => ({
  ...entryOf(row, view),
  stock: view === undefined ? null : figuresOf(view),
});

export const catalogDetailOf = (row: CatalogRow, view: StockView | undefined): CatalogDetail => ({
  ...entryOf(row, view),
  ...(view?.kind === 'pack' ? { components: view.components.map(({ sku, qty, available }) => ({ sku, qty, available })) } : {}),
  stock:
    view === undefined
      ? null
      : {
          ...figuresOf(view),
          locations: view.locations,
          drops: view.drops.map((d) => ({
            dropId: d.dropId,
            location: d.location,
            opensAt: iso(d.opensAt),
            closesAt: iso(d.closesAt),
            closedAt: isoOrNull(d.closedAt),
            limitPerCustomer: d.limitPerCustomer,
            allocation: d.allocation,
            held: d.held,
            committed: d.committed,
            remaining: d.remaining,
            returned: d.returned,
            soldOutAt: isoOrNull(d.soldOutAt),
          })),
        },
});
