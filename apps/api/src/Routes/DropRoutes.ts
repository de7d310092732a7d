// Drops (DESIGN.md §10): define one (allocations ring-fenced per SKU, atomically across its SKUs),
// read it live from memory, list them, close one early. Holds in a drop are POST /v1/reservations
// with `dropId` and `customerId`.
import { DropId, EpochMillis } from '@larder/domain';
import { Schema } from 'effect';
import { changeDrop, closeDrop, type DropDeps } from '../Drops/ChangeDrop.js';
import { DropRequest } from '../Drops/DropDefinition.js';
import { DropAnswer, dropStatus } from '../Drops/DropStatus.js';
import { Problem } from '../Http/Problems.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { defineRoute, NoBody, NoParams, NoQuery } from '../Http/Route.js';
import { actorOf } from '../Reservations/ActorOf.js';
import { inventoryUnavailable } from '../Reservations/ReservationProblems.js';
import type { StockCache } from '../Stock/StockCache.js';

export interface DropRouteDeps extends DropDeps {
  readonly cache: StockCache;
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

const DropParams = Schema.Struct({ dropId: DropId });
const ListQuery = Schema.Struct({ state: Schema.optional(Schema.Literal('scheduled', 'open', 'closed')) });
const ListAnswer = Schema.Struct({ items: Schema.Array(DropAnswer) });
const common = { tags: ['drops'] } as const;
const auth = {
  401: { description: 'no valid credentials' },
  403: { description: 'the credentials lack the scope' },
} as const;

const notFound = (dropId: string) => new Problem({ type: 'not-found', detail: `no drop ${dropId}` });

export const dropRoutes = (deps: DropRouteDeps) => {
  const now = () => EpochMillis.make(Math.floor((deps.clock ?? Date.now)()));
  const statusOf = (dropId: string) => {
    const definition = deps.store.cached(dropId);
    if (definition === undefined) throw notFound(dropId);
    return dropStatus(definition, deps.cache.get, now());
  };
  return [
    defineRoute({
      ...common,
      method: 'PUT',
      url: '/v1/drops/:dropId',
      operationId: 'putDrop',
      summary: 'Define a drop or change it: each SKU’s allocation is ring-fenced from available stock, all SKUs or none',
      scope: 'stock:write',
      idempotent: false,
      params: DropParams,
      query: NoQuery,
      body: DropRequest,
      responses: {
        200: { description: 'changed (or the same terms again)', schema: DropAnswer },
        201: { description: 'created: every allocation is ring-fenced', schema: DropAnswer },
        400: { description: 'the body is not valid (times ISO 8601 with a zone, closesAt after opensAt, each SKU once)' },
        ...auth,
        409: {
          description:
            '`insufficient-stock` (`lines`: sku, requested, available — nothing was taken), `drop-closed`, or `drop-change-refused` (an open drop may only raise an allocation or a limit, or move its close)',
        },
        503: { description: 'an owner did not answer; nothing stands (what was taken was put back): PUT it again' },
      },
      handler: async ({ params, body, principal }) => {
        const result = await orStoreUnavailable('drop definitions (NATS KV)', changeDrop(deps, {
          dropId: params.dropId,
          name: body.name,
          opensAt: EpochMillis.make(Date.parse(body.opensAt)),
          closesAt: EpochMillis.make(Date.parse(body.closesAt)),
          skus: body.skus,
          actor: actorOf(principal),
          now: now(),
        }));
        switch (result._tag) {
          case 'Created':
          case 'Updated':
          case 'Unchanged':
            return { status: result._tag === 'Created' ? 201 : 200, body: dropStatus(result.definition, deps.cache.get, now()) };
          case 'Short':
            throw new Problem({
              type: 'insufficient-stock',
              detail: `not enough available stock to ring-fence ${result.short.map((s) => `${s.requested} more of ${s.sku} (${s.available} available)`).join(', ')}; nothing was taken`,
              extensions: { lines: result.short },
            });
          case 'Closed':
            throw new Problem({ type: 'drop-closed', detail: `drop ${params.dropId} is closed; define a new drop`, extensions: { dropId: params.dropId } });
          case 'SkuRemoved':
            throw new Problem({ type: 'drop-change-refused', detail: `drop ${params.dropId} is open: ${result.skus.join(', ')} can no longer leave it`, extensions: { dropId: params.dropId } });
          case 'Refused': {
            const why = result.rejection._tag === 'DropChangeRefused' ? result.rejection.why : result.rejection._tag;
            throw new Problem({ type: 'drop-change-refused', detail: `drop ${params.dropId}, ${result.rejection.sku}: ${why}`, extensions: { dropId: params.dropId, sku: result.rejection.sku } });
          }
          case 'Unavailable':
            throw inventoryUnavailable(`the owners of some SKUs did not answer (${result.detail}); what was taken was put back`, 'PUT it again');
        }
      },
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/drops/:dropId',
      operationId: 'getDrop',
      summary: 'A drop live, from this instance’s memory: per SKU allocation, held, committed, remaining, sell-out, buyers and lost demand',
      scope: 'stock:read',
      idempotent: false,
      params: DropParams,
      query: NoQuery,
      body: NoBody,
      responses: { 200: { description: 'the drop', schema: DropAnswer }, ...auth, 404: { description: 'no such drop' } },
      handler: async ({ params }) => ({ status: 200, body: statusOf(params.dropId) }),
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/drops',
      operationId: 'listDrops',
      summary: 'Every drop, latest opening first (`?state=scheduled|open|closed` to filter)',
      scope: 'stock:read',
      idempotent: false,
      params: NoParams,
      query: ListQuery,
      body: NoBody,
      responses: { 200: { description: 'the drops', schema: ListAnswer }, ...auth },
      handler: async ({ query }) => {
        const at = now();
        const items = deps.store
          .list()
          .map((d) => dropStatus(d, deps.cache.get, at))
          .filter((d) => query.state === undefined || d.state === query.state);
        return { status: 200, body: { items } };
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/drops/:dropId/close',
      operationId: 'closeDrop',
      summary: 'Close a drop now: each SKU’s unsold allocation returns to general stock in one ledger event; open holds finish normally',
      scope: 'stock:write',
      idempotent: true,
      params: DropParams,
      query: NoQuery,
      body: NoBody,
      responses: {
        200: { description: 'closed (already closed is fine)', schema: DropAnswer },
        400: { description: 'no Idempotency-Key' },
        ...auth,
        404: { description: 'no such drop' },
        503: { description: 'an owner did not answer; POST it again with the same Idempotency-Key' },
      },
      handler: async ({ params, principal }) => {
        const result = await orStoreUnavailable('drop definitions (NATS KV)', closeDrop(deps, params.dropId, actorOf(principal), now()));
        switch (result._tag) {
          case 'NotFound':
            throw notFound(params.dropId);
          case 'Unavailable':
            throw inventoryUnavailable(`the owners of some SKUs did not answer (${result.detail})`);
          case 'Closed':
            return { status: 200, body: dropStatus(result.definition, deps.cache.get, now()) };
        }
      },
    }),
  ];
};
