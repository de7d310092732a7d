// The catalogue for the back office (DESIGN.md §10): GET /v1/skus pages the entries by SKU with their
// policy and live stock (`q`, `status` filters), GET /v1/skus/{sku} gives one with its locations and
// drops. Entries come from Postgres, figures from this instance's in-memory projection.
import { Sku } from '@larder/domain';
import { CatalogSku } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { CatalogRow } from '../Catalog/CatalogEntry.js';
import { CatalogCursor, encodeCatalogCursor } from '../Catalog/CatalogCursor.js';
import { CatalogDetail, catalogDetailOf, CatalogPageAnswer, CatalogStatus } from '../Catalog/CatalogListing.js';
import { listCatalog } from '../Catalog/ListCatalog.js';
import { Problem } from '../Http/Problems.js';
import { defineRoute, NoBody, NoParams, NoQuery } from '../Http/Route.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import type { StockCache } from '../Stock/StockCache.js';

const DefaultCatalogLimit = 50;
const MaxCatalogLimit = 500;

const ListQuery = Schema.Struct({
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, MaxCatalogLimit)), { default: () => DefaultCatalogLimit }),
  /** The `nextCursor` of the previous page. */
  cursor: Schema.optional(CatalogCursor),
  /** Case-insensitive substring of the SKU or the name. */
  q: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))),
  status: Schema.optional(CatalogStatus),
});

const auth = {
  401: { description: 'no valid credentials' },
  403: { description: 'the credentials lack stock:read' },
} as const;

const decodeRow = Schema.decodeUnknownSync(CatalogRow);

export const catalogueRoutes = (deps: { readonly orm: MikroORM; readonly cache: StockCache }) => [
  defineRoute({
    method: 'GET',
    url: '/v1/skus',
    operationId: 'listCatalog',
    summary: 'The catalogue by SKU with policy and live stock (`?limit=1..500&cursor=…&q=…&status=in_stock|low|out`)',
    tags: ['catalogue'],
    scope: 'stock:read',
    idempotent: false,
    params: NoParams,
    query: ListQuery,
    body: NoBody,
    responses: {
      200: { description: 'a page of entries (full unless it is the last)', schema: CatalogPageAnswer },
      400: { description: 'a limit outside 1..500, an unknown status, or a cursor that is not one' },
      ...auth,
      503: { description: 'the catalogue (Postgres) did not answer (Retry-After: 5)' },
    },
    handler: async ({ query }) => {
      const page = await orStoreUnavailable(
        'catalogue (Postgres)',
        listCatalog(deps.orm, deps.cache.get, {
          limit: query.limit,
          ...(query.cursor === undefined ? {} : { after: query.cursor }),
          ...(query.q === undefined ? {} : { q: query.q }),
          ...(query.status === undefined ? {} : { status: query.status }),
        }),
      );
      const body: typeof CatalogPageAnswer.Type = { items: page.items, nextCursor: page.next === null ? null : encodeCatalogCursor(page.next) };
      return { status: 200, body };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/skus/:sku',
    operationId: 'getCatalogEntry',
    summary: 'One catalogue entry: policy, live stock with per-location levels and the SKU’s drops',
    tags: ['catalogue'],
    scope: 'stock:read',
    idempotent: false,
    params: Schema.Struct({ sku: Sku }),
    query: NoQuery,
    body: NoBody,
    responses: {
      200: { description: 'the entry (`stock` is null while the SKU never had stock)', schema: CatalogDetail },
      400: { description: 'not a valid SKU' },
      ...auth,
      404: { description: 'no catalogue entry for this SKU (PUT /v1/skus/{sku} or POST /v1/imports/catalogue creates one)' },
      503: { description: 'the catalogue (Postgres) did not answer (Retry-After: 5)' },
    },
    handler: async ({ params }) => {
      const entity = await orStoreUnavailable('catalogue (Postgres)', deps.orm.em.fork().findOne(CatalogSku, { sku: params.sku }));
      if (entity === null) {
        throw new Problem({ type: 'not-found', detail: `SKU ${params.sku} is not in the catalogue; PUT /v1/skus/${params.sku} or import it to create it` });
      }
      return { status: 200, body: catalogDetailOf(decodeRow(entity), deps.cache.get(params.sku)) };
    },
  }),
];
