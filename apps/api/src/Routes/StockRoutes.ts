// Availability reads, answered from this instance's memory (the KV watch), never from the actors:
// up to 100 SKUs at once here, one SKU (per channel too) in SkuStockRoutes.ts. Each answer says how
// fresh it is (`version`, `asOf`).
import { Sku } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import { Schema } from 'effect';
import { LocationLevels } from '../Stock/LocationLevels.js';
import { defineRoute, NoBody, NoParams } from '../Http/Route.js';
import type { Metrics } from '../Metrics/Metrics.js';
import type { StockCache } from '../Stock/StockCache.js';

export const StockAnswer = Schema.Struct({
  sku: Schema.String,
  /**
   * `pack`: a variety pack (DESIGN.md §10): no stock of its own; `available` = min over components of
   * floor(available ÷ per-pack qty), per location likewise; `version`/`asOf` its oldest component's.
   */
  kind: Schema.Literal('sku', 'pack'),
  available: Schema.Int,
  onHand: Schema.Int,
  reserved: Schema.Int,
  safetyStock: Schema.Int,
  shortfall: Schema.Int,
  /** Units ring-fenced for drops and not yet held there (GET /v1/drops/{dropId} for each drop). */
  allocated: Schema.Int,
  status: Schema.Literal('in_stock', 'low', 'out'),
  lowStockThreshold: Schema.NullOr(Schema.Int),
  /** Journal sequence of the last change: only grows. */
  version: Schema.Int,
  /** When the last change happened (ISO 8601). */
  asOf: Schema.String,
  locations: Schema.Array(LocationLevels),
  /** A pack's components: units per pack, each one's available and version. */
  components: Schema.optional(Schema.Array(Schema.Struct({ sku: Schema.String, qty: Schema.Int, available: Schema.Int, version: Schema.Int }))),
  /**
   * Read with `?channel=`: the channel, and the earliest best-before a lot may have to be sold there now
   * (today + handlingDays + minShelfLifeDays). `available` (total and per location) is then what a hold
   * on that channel could take: lots sellable there, less the open holds that need them.
   */
  channel: Schema.optional(Schema.String),
  sellableFrom: Schema.optional(Schema.String),
}).annotations({ identifier: 'Stock' });

export const answerOf = (v: StockView) => ({
  sku: v.sku,
  kind: v.kind,
  available: v.available,
  onHand: v.onHand,
  reserved: v.reserved,
  safetyStock: v.safetyStock,
  shortfall: v.shortfall,
  allocated: v.allocated,
  status: v.status,
  lowStockThreshold: v.lowStockThreshold,
  version: v.seq,
  asOf: new Date(v.asOf).toISOString(),
  locations: v.locations,
  ...(v.kind === 'pack' ? { components: v.components.map((c) => ({ sku: c.sku, qty: c.qty, available: c.available, version: c.seq })) } : {}),
});

const BatchQuery = Schema.Struct({
  sku: Schema.Union(Sku, Schema.Array(Sku).pipe(Schema.minItems(1), Schema.maxItems(100))),
});
const BatchAnswer = Schema.Struct({ items: Schema.Array(StockAnswer), missing: Schema.Array(Schema.String) });

export const json = { 'content-type': 'application/json; charset=utf-8' };

/**
 * Each SKU's answer serialised once per view: most reads of a hot SKU reuse it. Keyed by the view
 * itself (the cache holds a new object for every change), not its `seq`: a pack's `seq` is its oldest
 * component's and stays put while another component moves.
 */
export const makeSerialised = () => {
  const bodies = new Map<string, { readonly view: StockView; readonly body: string }>();
  return (view: StockView): string => {
    const cached = bodies.get(view.sku);
    if (cached !== undefined && cached.view === view) return cached.body;
    const body = JSON.stringify(answerOf(view));
    bodies.set(view.sku, { view, body });
    return body;
  };
};

/** Reads of up to 100 SKUs at once (their plain availability; no channel). */
export const stockRoutes = (cache: StockCache, metrics: Metrics, serialised: (view: StockView) => string = makeSerialised()) => {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/stock',
      operationId: 'getStockBatch',
      summary: 'Availability of up to 100 SKUs (`?sku=A&sku=B…`)',
      tags: ['stock'],
      scope: 'stock:read',
      idempotent: false,
      params: NoParams,
      query: BatchQuery,
      body: NoBody,
      responses: { 200: { description: 'the known SKUs, and the unknown ones', schema: BatchAnswer }, 400: { description: 'no sku, or more than 100' } },
      handler: async ({ query }) => {
        const skus = typeof query.sku === 'string' ? [query.sku] : query.sku;
        const items: Array<string> = [];
        const missing: Array<string> = [];
        for (const sku of new Set(skus)) {
          const view = cache.get(sku);
          if (view === undefined) missing.push(sku);
          else items.push(serialised(view));
        }
        // Counted once per request, not per SKU.
        metrics.cacheLookups.hits(items.length);
        metrics.cacheLookups.misses(missing.length);
        return { status: 200, body: `{"items":[${items.join(',')}],"missing":${JSON.stringify(missing)}}`, headers: json };
      },
    }),
  ];
};
