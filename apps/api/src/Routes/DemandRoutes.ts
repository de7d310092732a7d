// Restock suggestions (DESIGN.md §10 "Demand", docs/demand-signals.md): GET /v1/restock-suggestions
// answers, per SKU and location, what to reorder and when, with the poll votes and lost demand beside it.
import { LocationId, Sku } from '@larder/domain';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { CatalogCursor, encodeCatalogCursor } from '../Catalog/CatalogCursor.js';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { restockSuggestions, RestockSuggestionsAnswer } from '../Demand/RestockSuggestions.js';
import { makeNotifyRequestStore } from '../Notify/NotifyRequestStore.js';
import { defineRoute, NoBody, NoParams } from '../Http/Route.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import type { StockCache } from '../Stock/StockCache.js';

const DefaultLimit = 50;
const MaxLimit = 500;
const MaxSuggestionSkus = 100;

const SuggestionsQuery = Schema.Struct({
  /** SKUs to answer (repeat `sku=`, up to 100); left out: a page of the catalogue. */
  sku: Schema.optional(Schema.Union(Sku, Schema.Array(Sku).pipe(Schema.minItems(1), Schema.maxItems(MaxSuggestionSkus)))),
  location: Schema.optional(LocationId),
  /** Days of history, today the last (default 90). */
  days: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(7, 365)), { default: () => 90 }),
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, MaxLimit)), { default: () => DefaultLimit }),
  /** The `nextCursor` of the previous page (catalogue paging). */
  cursor: Schema.optional(CatalogCursor),
});

const encodeAnswer = Schema.encodeSync(RestockSuggestionsAnswer);

export interface DemandRouteDeps {
  readonly orm: MikroORM;
  readonly cache: StockCache;
  readonly catalogue: CatalogueStore;
  /** Epoch ms; "today" is its UTC date. */
  readonly clock?: () => number;
}

export const demandRoutes = (deps: DemandRouteDeps) => {
  const notify = makeNotifyRequestStore(deps.orm);
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/restock-suggestions',
      operationId: 'listRestockSuggestions',
      summary: 'What to reorder and when, per SKU and location (`?sku=…&sku=…&location=…&days=7..365`, or the catalogue paged with `limit`/`cursor`)',
      tags: ['demand'],
      scope: 'stock:read',
      idempotent: false,
      params: NoParams,
      query: SuggestionsQuery,
      body: NoBody,
      responses: {
        200: { description: 'a suggestion per SKU and location (packs have none: their stock is their components’)', schema: RestockSuggestionsAnswer },
        400: { description: 'more than 100 SKUs, days outside 7..365, a limit outside 1..500, or a cursor that is not one' },
        401: { description: 'no valid credentials' },
        403: { description: 'the credentials lack stock:read' },
        503: { description: 'the ledger or the catalogue (Postgres) did not answer (Retry-After: 5)' },
      },
      handler: async ({ query }) => {
        const skus = query.sku === undefined ? undefined : typeof query.sku === 'string' ? [query.sku] : query.sku;
        const page = await orStoreUnavailable(
          'ledger and catalogue (Postgres)',
          restockSuggestions(
            { orm: deps.orm, stockOf: deps.cache.get, catalogue: deps.catalogue, notify },
            { skus, location: query.location, days: query.days, limit: query.limit, after: query.cursor },
            (deps.clock ?? Date.now)(),
          ),
        );
        const body = encodeAnswer({ today: page.today, days: page.days, items: page.items, nextCursor: page.next === null ? null : encodeCatalogCursor(page.next) });
        return { status: 200, body };
      },
    }),
  ];
};
