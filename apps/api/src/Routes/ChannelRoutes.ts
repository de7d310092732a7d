// Sales channels (DESIGN.md §10 "Lots and shelf life"): PUT one with its shelf-life terms, read them. A
// lot is sellable on a channel while bestBefore − (today + handlingDays) ≥ minShelfLifeDays; holds and
// orders naming the channel carry these terms to the SKU's owner. Kept in KV `catalogue` (ADR 0016).
import { ChannelId, EpochMillis } from '@larder/domain';
import type { ChannelRecord } from '@larder/messaging';
import { Schema } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { Problem } from '../Http/Problems.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { defineRoute, NoBody, NoParams, NoQuery } from '../Http/Route.js';
import { actorOf } from '../Reservations/ActorOf.js';

export interface ChannelRouteDeps {
  readonly catalogue: CatalogueStore;
  readonly clock?: () => number;
}

const Days = (what: string) => Schema.Int.pipe(Schema.between(0, 3650, { message: () => `${what} is a whole number of days from 0 to 3650` }));

const ChannelRequest = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  /** Days of shelf life a lot must still have when it ships (the boundary day is sellable). */
  minShelfLifeDays: Days('minShelfLifeDays'),
  /** Days from the hold to the shipment (picking, transit to the retailer's warehouse). */
  handlingDays: Days('handlingDays'),
}).annotations({ identifier: 'ChannelRequest' });

const ChannelAnswer = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  minShelfLifeDays: Schema.Int,
  handlingDays: Schema.Int,
  updatedAt: Schema.String,
}).annotations({ identifier: 'Channel' });
type ChannelAnswer = typeof ChannelAnswer.Type;

const answerOf = (c: ChannelRecord): ChannelAnswer => ({
  id: c.channel,
  name: c.name,
  minShelfLifeDays: c.minShelfLifeDays,
  handlingDays: c.handlingDays,
  updatedAt: new Date(c.updatedAt).toISOString(),
});

const Params = Schema.Struct({ id: ChannelId });
const auth = { 401: { description: 'no valid credentials' }, 403: { description: 'the credentials lack the scope' } } as const;

export const channelRoutes = (deps: ChannelRouteDeps) => [
  defineRoute({
    method: 'PUT',
    url: '/v1/channels/:id',
    operationId: 'putChannel',
    summary: 'Register a sales channel or change its shelf-life terms (holds placed before keep theirs)',
    tags: ['channels'],
    scope: 'stock:write',
    idempotent: false,
    params: Params,
    query: NoQuery,
    body: ChannelRequest,
    responses: {
      200: { description: 'changed', schema: ChannelAnswer },
      201: { description: 'registered', schema: ChannelAnswer },
      400: { description: 'the id or the body is not valid (an id is 1–32 lowercase letters, digits, "_" or "-"; days 0–3650)' },
      ...auth,
      503: { description: 'the catalogue bucket (NATS KV) did not answer (Retry-After: 5); PUT it again' },
    },
    handler: async ({ params, body, principal }) => {
      const existed = deps.catalogue.channel(params.id) !== undefined;
      const record: ChannelRecord = {
        v: 1,
        kind: 'channel',
        channel: params.id,
        name: body.name,
        minShelfLifeDays: body.minShelfLifeDays,
        handlingDays: body.handlingDays,
        updatedAt: EpochMillis.make(Math.floor((deps.clock ?? Date.now)())),
        updatedBy: actorOf(principal),
      };
      await orStoreUnavailable('catalogue (NATS KV)', deps.catalogue.putChannel(record));
      return { status: existed ? 200 : 201, body: answerOf(record) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/channels',
    operationId: 'listChannels',
    summary: 'Every registered sales channel, by id',
    tags: ['channels'],
    scope: 'stock:read',
    idempotent: false,
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    responses: { 200: { description: 'by id', schema: Schema.Struct({ items: Schema.Array(ChannelAnswer) }) }, ...auth },
    handler: async () => ({ status: 200, body: { items: deps.catalogue.channels().map(answerOf) } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/channels/:id',
    operationId: 'getChannel',
    summary: 'One registered sales channel',
    tags: ['channels'],
    scope: 'stock:read',
    idempotent: false,
    params: Params,
    query: NoQuery,
    body: NoBody,
    responses: { 200: { description: 'the channel', schema: ChannelAnswer }, ...auth, 404: { description: 'not registered' } },
    handler: async ({ params }) => {
      const found = deps.catalogue.channel(params.id);
      if (found === undefined) throw new Problem({ type: 'not-found', detail: `no channel ${params.id} is registered (PUT /v1/channels/${params.id} registers it)` });
      return { status: 200, body: answerOf(found) };
    },
  }),
];
