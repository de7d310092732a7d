// The catalogue (DESIGN.md §6): PUT a SKU's entry (create or update, naturally idempotent, no
// Idempotency-Key). A given safety stock or low-stock threshold is also sent to the SKU's actor.
import { Sku } from '@larder/domain';
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
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

export const skuRoutes = (deps: SkuRouteDeps) => [
  defineRoute({
    method: 'PUT',
    url: '/v1/skus/:sku',
    operationId: 'putCatalogEntry',
    summary: 'Create or update a SKU’s catalogue entry; safety stock and threshold also reach its actor',
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
      503: { description: 'the catalogue (Postgres) did not answer (Retry-After: 5), or the entry is saved but the policy reached neither the owner nor JetStream (Retry-After: 1); PUT it again' },
    },
    handler: async ({ params, body, principal }) => {
      const actor = actorOf(principal);
      const { created, row } = await orStoreUnavailable('catalogue (Postgres)', upsertCatalogEntry(deps.orm, params.sku, body));
      if (body.safetyStock !== undefined || body.lowStockThreshold !== undefined) {
        const change = {
          actor,
          now: (deps.clock ?? Date.now)(),
          sku: params.sku,
          ...(body.safetyStock === undefined ? {} : { safetyStock: body.safetyStock }),
          ...(body.lowStockThreshold === undefined ? {} : { lowStockThreshold: body.lowStockThreshold }),
        };
        if ((await pushStockPolicy(deps.gateway, change)) === 'failed') {
          throw inventoryUnavailable(`the entry for ${params.sku} is saved, but its stock policy reached neither the owner nor JetStream`, 'PUT it again');
        }
      }
      return { status: created ? 201 : 200, body: answerOf(row) };
    },
  }),
];
