// The catalogue (DESIGN.md §6): PUT a SKU's entry (create or update, naturally idempotent, no
// Idempotency-Key). A given safety stock, low-stock threshold or lot policy (alertDays, removalDays) is
// also sent to the SKU's actor.
import { checkRecipe, describeRecipeProblem, EpochMillis, Sku, type PackRecipe } from '@larder/domain';
import type { PackRecipeRecord } from '@larder/messaging';
import { Either } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { Problem } from '../Http/Problems.js';
import type { StockCache } from '../Stock/StockCache.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { answerOf, CatalogEntryAnswer, CatalogEntryRequest } from '../Catalog/CatalogEntry.js';
import { pushStockPolicy } from '../Catalog/PushStockPolicy.js';
import { upsertCatalogEntry } from '../Catalog/UpsertCatalogEntry.js';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { defineRoute, NoQuery } from '../Http/Route.js';
import { actorOf } from '../Reservations/ActorOf.js';
import { inventoryUnavailable } from '../Reservations/ReservationProblems.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';

export interface SkuRouteDeps {
  readonly orm: MikroORM;
  readonly gateway: CommandGateway;
  readonly catalogue: CatalogueStore;
  readonly cache: StockCache;
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

export const skuRoutes = (deps: SkuRouteDeps) => [
  defineRoute({
    method: 'PUT',
    url: '/v1/skus/:sku',
    operationId: 'putCatalogEntry',
    summary: 'Create or update a SKU’s catalogue entry; safety stock, threshold and lot policy (alertDays, removalDays) also reach its actor',
    tags: ['catalogue'],
    scope: 'stock:write',
    idempotent: false,
    params: Schema.Struct({ sku: Sku }),
    query: NoQuery,
    body: CatalogEntryRequest,
    responses: {
      200: { description: 'updated', schema: CatalogEntryAnswer },
      201: { description: 'created', schema: CatalogEntryAnswer },
      400: { description: 'the SKU or the body is not valid' },
      401: { description: 'no valid credentials' },
      403: { description: 'the credentials lack stock:write' },
      409: { description: '`pack-has-stock`: the SKU has stock or holds of its own and cannot become a pack (count it to 0 first)' },
      422: { description: '`invalid-pack`: the recipe cannot stand (no component, itself, a component twice, a component that is a pack, or the SKU is a component of a pack), or a stock policy was given for a pack' },
      503: { description: 'the catalogue (Postgres) did not answer (Retry-After: 5), or the entry is saved but the policy reached neither the owner nor JetStream (Retry-After: 1); PUT it again' },
    },
    handler: async ({ params, body, principal }) => {
      const actor = actorOf(principal);
      const now = (deps.clock ?? Date.now)();
      const recipe = body.components === undefined ? undefined : body.components === null ? null : recipeFor(params.sku, body.components, deps);
      const isPack = recipe === undefined ? deps.catalogue.recipe(params.sku) !== undefined : recipe !== null;
      const lotPolicy = {
        ...(body.alertDays === undefined ? {} : { alertDays: body.alertDays }),
        ...(body.removalDays === undefined ? {} : { removalDays: body.removalDays }),
      };
      const policies = [
        ...(body.safetyStock !== undefined || body.lowStockThreshold !== undefined || body.alertDays !== undefined || body.removalDays !== undefined
          ? [{ safetyStock: body.safetyStock, lowStockThreshold: body.lowStockThreshold, ...lotPolicy }]
          : []),
        ...(body.locations ?? []),
      ];
      if (isPack && policies.length > 0) {
        throw new Problem({ type: 'invalid-pack', detail: `${params.sku} is a pack: it has no stock, so no safety stock, threshold or lot policy of its own; set them on its components` });
      }
      const { created, row } = await orStoreUnavailable('catalogue (Postgres)', upsertCatalogEntry(deps.orm, params.sku, body));
      if (recipe === null) await orStoreUnavailable('catalogue (NATS KV)', deps.catalogue.removeRecipe(params.sku));
      else if (recipe !== undefined) {
        const record: PackRecipeRecord = { v: 1, kind: 'pack', pack: params.sku, components: recipe.components, updatedAt: EpochMillis.make(Math.floor(now)), updatedBy: actor };
        await orStoreUnavailable('catalogue (NATS KV)', deps.catalogue.putRecipe(record));
      }
      for (const policy of policies) {
        const change = {
          actor,
          now,
          sku: params.sku,
          ...('location' in policy ? { location: policy.location } : {}),
          ...(policy.safetyStock === undefined ? {} : { safetyStock: policy.safetyStock }),
          ...(policy.lowStockThreshold === undefined ? {} : { lowStockThreshold: policy.lowStockThreshold }),
          ...('alertDays' in policy ? { alertDays: policy.alertDays } : {}),
          ...('removalDays' in policy ? { removalDays: policy.removalDays } : {}),
        };
        if ((await pushStockPolicy(deps.gateway, change)) === 'failed') {
          throw inventoryUnavailable(`the entry for ${params.sku} is saved, but its stock policy reached neither the owner nor JetStream`, 'PUT it again');
        }
      }
      const components = recipe === undefined ? deps.catalogue.recipe(params.sku)?.components : recipe === null ? undefined : recipe.components;
      return { status: created ? 201 : 200, body: answerOf(row, components) };
    },
  }),
];

/** The recipe a PUT asks for, if it can stand and the SKU holds no stock of its own; else the problem. */
const recipeFor = (pack: Sku, components: PackRecipe['components'], deps: SkuRouteDeps): PackRecipe => {
  const others = new Map(deps.catalogue.recipes());
  others.delete(pack);
  const checked = checkRecipe({ pack, components }, others);
  if (Either.isLeft(checked)) throw new Problem({ type: 'invalid-pack', detail: `${pack}: ${describeRecipeProblem(checked.left)}` });
  const own = deps.cache.get(pack);
  if (own !== undefined && own.kind === 'sku' && (own.onHand !== 0 || own.reserved > 0)) {
    throw new Problem({
      type: 'pack-has-stock',
      detail: `${pack} has ${own.onHand} on hand and ${own.reserved} held of its own; a pack has none (its stock is its components'). Count it to 0 and let its holds end, or use another SKU for the pack`,
    });
  }
  return checked.right;
};
