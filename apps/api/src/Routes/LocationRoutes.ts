// Stock locations (DESIGN.md §10 "Locations"): PUT one (name, priority), read them. A line without a
// location is held at the highest-priority location that can fill it whole; restocks, adjustments,
// returns, counts and policies name theirs (default `main`). Kept in KV `catalogue` (ADR 0016).
import { EpochMillis, LocationId } from '@larder/domain';
import type { LocationRecord } from '@larder/messaging';
import { Schema } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { Problem } from '../Http/Problems.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { defineRoute, NoBody, NoParams, NoQuery } from '../Http/Route.js';
import { actorOf } from '../Reservations/ActorOf.js';

export interface LocationRouteDeps {
  readonly catalogue: CatalogueStore;
  readonly clock?: () => number;
}

const LocationRequest = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  /** The higher, the sooner a line without a location is filled here (ties: by id). */
  priority: Schema.Int.pipe(Schema.between(-1_000_000, 1_000_000, { message: () => 'priority is a whole number from -1000000 to 1000000' })),
}).annotations({ identifier: 'LocationRequest' });

const LocationAnswer = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  priority: Schema.Int,
  updatedAt: Schema.String,
}).annotations({ identifier: 'Location' });
type LocationAnswer = typeof LocationAnswer.Type;

const answerOf = (l: LocationRecord): LocationAnswer => ({ id: l.location, name: l.name, priority: l.priority, updatedAt: new Date(l.updatedAt).toISOString() });

const Params = Schema.Struct({ id: LocationId });
const auth = { 401: { description: 'no valid credentials' }, 403: { description: 'the credentials lack the scope' } } as const;

export const locationRoutes = (deps: LocationRouteDeps) => [
  defineRoute({
    method: 'PUT',
    url: '/v1/locations/:id',
    operationId: 'putLocation',
    summary: 'Register a stock location or change its name and priority (higher priority is filled first)',
    tags: ['locations'],
    scope: 'stock:write',
    idempotent: false,
    params: Params,
    query: NoQuery,
    body: LocationRequest,
    responses: {
      200: { description: 'changed', schema: LocationAnswer },
      201: { description: 'registered', schema: LocationAnswer },
      400: { description: 'the id or the body is not valid (an id is 1–32 lowercase letters, digits, "_" or "-")' },
      ...auth,
      503: { description: 'the catalogue bucket (NATS KV) did not answer (Retry-After: 5); PUT it again' },
    },
    handler: async ({ params, body, principal }) => {
      const existed = deps.catalogue.location(params.id) !== undefined;
      const record: LocationRecord = {
        v: 1,
        kind: 'location',
        location: params.id,
        name: body.name,
        priority: body.priority,
        updatedAt: EpochMillis.make(Math.floor((deps.clock ?? Date.now)())),
        updatedBy: actorOf(principal),
      };
      await orStoreUnavailable('catalogue (NATS KV)', deps.catalogue.putLocation(record));
      return { status: existed ? 200 : 201, body: answerOf(record) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/locations',
    operationId: 'listLocations',
    summary: 'Every registered location, in the order a line without a location tries them',
    tags: ['locations'],
    scope: 'stock:read',
    idempotent: false,
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    responses: { 200: { description: 'highest priority first', schema: Schema.Struct({ items: Schema.Array(LocationAnswer) }) }, ...auth },
    handler: async () => ({ status: 200, body: { items: deps.catalogue.locations().map(answerOf) } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/locations/:id',
    operationId: 'getLocation',
    summary: 'One registered location',
    tags: ['locations'],
    scope: 'stock:read',
    idempotent: false,
    params: Params,
    query: NoQuery,
    body: NoBody,
    responses: { 200: { description: 'the location', schema: LocationAnswer }, ...auth, 404: { description: 'not registered' } },
    handler: async ({ params }) => {
      const found = deps.catalogue.location(params.id);
      if (found === undefined) throw new Problem({ type: 'not-found', detail: `no location ${params.id} is registered (PUT /v1/locations/${params.id} registers it)` });
      return { status: 200, body: answerOf(found) };
    },
  }),
];
