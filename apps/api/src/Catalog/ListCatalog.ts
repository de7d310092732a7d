// One page of the catalogue (GET /v1/skus): keyset by SKU over `catalog_sku`, `q` as a case-insensitive
// substring of SKU or name (in SQL), `status` from the in-memory stock projection. Because the status is
// not in Postgres, rows are read in chunks until the page is full, so a filtered page is short only when
// it is the last one.
import type { Sku } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import { CatalogSku } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { breathe } from '../Imports/ImportBatches.js';
import { CatalogRow } from './CatalogEntry.js';
import { catalogItemOf, statusOf, type CatalogItem, type CatalogStatus } from './CatalogListing.js';

/** Rows read from Postgres per round while a status filter leaves the page short. */
const CatalogScanChunk = 500;

export interface CatalogPageQuery {
  readonly limit: number;
  readonly after?: Sku;
  readonly q?: string;
  readonly status?: CatalogStatus;
}

export interface CatalogPage {
  readonly items: ReadonlyArray<CatalogItem>;
  /** The last SKU of this page when another page follows. */
  readonly next: Sku | null;
}

const decodeRows = Schema.decodeUnknownSync(Schema.Array(CatalogRow));

/** `q` as an ILIKE pattern: its `%`, `_` and `\` are literal. */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const readChunk = async (orm: MikroORM, after: Sku | undefined, q: string | undefined, limit: number) => {
  const pattern = q === undefined ? undefined : containsPattern(q);
  const rows = await orm.em.fork().find(
    CatalogSku,
    {
      ...(after === undefined ? {} : { sku: { $gt: after } }),
      ...(pattern === undefined ? {} : { $or: [{ sku: { $ilike: pattern } }, { name: { $ilike: pattern } }] }),
    },
    { orderBy: { sku: 'asc' }, limit },
  );
  return decodeRows(rows);
};

export const listCatalog = async (orm: MikroORM, stockOf: (sku: string) => StockView | undefined, query: CatalogPageQuery): Promise<CatalogPage> => {
  const wanted = query.limit + 1; // one more than asked: its presence says a next page exists
  const chunk = query.status === undefined ? wanted : Math.max(wanted, CatalogScanChunk);
  const found: Array<{ readonly sku: Sku; readonly item: CatalogItem }> = [];
  let after = query.after;
  for (;;) {
    const rows = await readChunk(orm, after, query.q, chunk);
    for (const row of rows) {
      const view = stockOf(row.sku);
      if (query.status !== undefined && statusOf(view) !== query.status) continue;
      found.push({ sku: row.sku, item: catalogItemOf(row, view) });
      if (found.length === wanted) break;
    }
    const last = rows.at(-1);
    if (found.length === wanted || rows.length < chunk || last === undefined) break;
    after = last.sku;
    // A sparse status over a large catalogue takes several rounds: let other requests run between them.
    await breathe();
  }
  const page = found.slice(0, query.limit);
  const lastOfPage = page.at(-1);
  return { items: page.map((f) => f.item), next: found.length > query.limit && lastOfPage !== undefined ? lastOfPage.sku : null };
};
