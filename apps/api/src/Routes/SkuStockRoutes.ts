// One SKU's availability (DESIGN.md §6, §10), answered from this instance's memory (the KV watch): the
// serialised answer of its view, reused while the view stands (the hot path of a flash sale's reads);
// with `?channel=`, what a hold on that sales channel could take now, computed per request.
import { ChannelId, sellableFrom, Sku } from '@larder/domain';
import { Schema } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { channelTermsOf } from '../Catalog/ChannelTermsOf.js';
import { Problem } from '../Http/Problems.js';
import { defineRoute, NoBody } from '../Http/Route.js';
import type { Metrics } from '../Metrics/Metrics.js';

import type { StockCache } from '../Stock/StockCache.js';
import { answerOf, json, makeSerialised, StockAnswer } from './StockRoutes.js';
import { channelViewOf, type StockView } from '@larder/messaging';

const SkuParams = Schema.Struct({ sku: Sku });
const SkuQuery = Schema.Struct({
  /** A sales channel (`web` when not registered: no shelf-life terms). */
  channel: Schema.optional(ChannelId),
});

export interface SkuStockRouteDeps {
  readonly cache: StockCache;
  readonly metrics: Metrics;
  /** The sales channels a read may name. */
  readonly catalogue: CatalogueStore;
  /** Epoch ms: "today" of a per-channel read. */
  readonly clock?: () => number;
  /** The serialised answers, shared with the batch read (one per view). */
  readonly serialised?: (view: StockView) => string;
}

/** One SKU's read: the serialised answer of its view (hot path), or, with `?channel`, computed for that channel. */
export const skuStockRoutes = (deps: SkuStockRouteDeps) => {
  const { cache, metrics } = deps;
  const serialised = deps.serialised ?? makeSerialised();
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/stock/:sku',
      operationId: 'getStock',
      summary: 'Availability of one SKU, from this instance’s in-memory projection (`?channel=` for a sales channel)',
      tags: ['stock'],
      scope: 'stock:read',
      idempotent: false,
      params: SkuParams,
      query: SkuQuery,
      body: NoBody,
      responses: {
        200: { description: 'the SKU’s levels, each location with its lots; with `?channel`, what a hold on that channel could take', schema: StockAnswer },
        404: { description: 'unknown SKU' },
        422: { description: '`unknown-channel`: a channel other than `web` that is not registered' },
      },
      handler: async ({ params, query }) => {
        const terms = query.channel === undefined ? undefined : channelTermsOf(deps.catalogue, query.channel);
        const view = cache.get(params.sku);
        if (view === undefined) {
          metrics.cacheLookups.misses(1);
          throw new Problem({ type: 'not-found', detail: `no stock is known for SKU ${params.sku}` });
        }
        metrics.cacheLookups.hits(1);
        if (query.channel === undefined) return { status: 200, body: serialised(view), headers: json };
        if (terms === undefined) return { status: 200, body: { ...answerOf(view), channel: query.channel } };
        const from = sellableFrom((deps.clock ?? Date.now)(), terms);
        return { status: 200, body: { ...answerOf(channelViewOf(view, from, cache.get)), channel: terms.channel, sellableFrom: from } };
      },
    }),
  ];
};
