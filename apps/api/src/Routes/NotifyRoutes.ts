// Notify-me (DESIGN.md §10 "Demand", docs/demand-signals.md): a storefront asks, for a customer, to be
// told when a SKU is back — as a whole or on a sales channel — idempotently per customer while the wait
// lasts, and may take a waiting request back; the counts per SKU and channel are a demand signal. The telling is Notify/BackInStockNotifier.ts.
import { randomUUID } from 'node:crypto';
import { ChannelId, CustomerId, NotifyRequestBody, NotifyRequestStatus, Sku } from '@larder/domain';
import { CatalogSku } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { channelTermsOf } from '../Catalog/ChannelTermsOf.js';
import { Problem } from '../Http/Problems.js';
import { defineRoute, NoBody, NoQuery } from '../Http/Route.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { makeNotifyRequestStore, type StoredNotifyRequest } from '../Notify/NotifyRequestStore.js';
import type { StockCache } from '../Stock/StockCache.js';

export interface NotifyRouteDeps {
  readonly orm: MikroORM;
  readonly cache: StockCache;
  readonly catalogue: CatalogueStore;
  /** Epoch ms (tests pass their own). */
  readonly clock?: () => number;
}

const SkuParams = Schema.Struct({ sku: Sku });
const CustomerParams = Schema.Struct({ sku: Sku, customerId: CustomerId });
const ChannelQuery = Schema.Struct({
  /** The channel waited for, as on the POST; left out (or `web` unregistered): the SKU as a whole. */
  channel: Schema.optional(ChannelId),
});

export const NotifyRequestAnswer = Schema.Struct({
  id: Schema.String,
  sku: Schema.String,
  customerId: Schema.String,
  /** The sales channel waited for; null: the SKU as a whole (also for an unregistered `web`). */
  channel: Schema.NullOr(Schema.String),
  status: NotifyRequestStatus,
  /** When the wait began (ISO 8601): the first request's, on a repeat. */
  requestedAt: Schema.String,
}).annotations({ identifier: 'NotifyRequest' });

const Counts = { waiting: Schema.Int, notified: Schema.Int };
export const NotifyRequestCounts = Schema.Struct({
  sku: Schema.String,
  /** Requests waiting for the next back in stock, over every channel. */
  ...Counts,
  /** Per channel waited for (null: the SKU as a whole), null first. */
  byChannel: Schema.Array(Schema.Struct({ channel: Schema.NullOr(Schema.String), ...Counts })),
}).annotations({ identifier: 'NotifyRequestCounts' });

const answerOf = (r: StoredNotifyRequest): typeof NotifyRequestAnswer.Type => ({
  id: r.id,
  sku: r.sku,
  customerId: r.customerId,
  channel: r.channel,
  status: 'waiting',
  requestedAt: new Date(r.requestedAt).toISOString(),
});

const postgres = 'notify-me requests (Postgres)';
const auth = { 401: { description: 'no valid credentials' }, 403: { description: 'the credentials lack the scope' } } as const;

export const notifyRoutes = (deps: NotifyRouteDeps) => {
  const store = makeNotifyRequestStore(deps.orm);
  const clock = deps.clock ?? Date.now;
  /** Known like a stock read (the projection has it), or as a pack, or in the catalogue before its first stock. */
  const isKnown = async (sku: Sku) =>
    deps.cache.get(sku) !== undefined ||
    deps.catalogue.recipe(sku) !== undefined ||
    (await orStoreUnavailable('catalogue (Postgres)', deps.orm.em.fork().count(CatalogSku, { sku }))) > 0;
  const unknownSku = (sku: Sku) => new Problem({ type: 'not-found', detail: `no stock and no catalogue entry is known for SKU ${sku}` });
  /** The channel waited for: null for none, or for `web` while it is not registered; 422 for another unregistered one. */
  const channelOf = (channel: ChannelId | undefined) => (channel === undefined ? null : (channelTermsOf(deps.catalogue, channel)?.channel ?? null));
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/skus/:sku/notify-requests',
      operationId: 'postNotifyRequest',
      summary:
        'Ask to tell a customer when the SKU is back in stock — as a whole, or on a registered sales `channel` — once: while the request waits, asking again answers it (200); after it was notified, a new request starts a new wait',
      tags: ['demand'],
      // What a storefront key holds with: asking to be told is part of its checkout, not the back office.
      scope: 'stock:reserve',
      // Like every POST: a retry with the same key replays the answer; with a new key the customer's waiting request answers.
      idempotent: true,
      params: SkuParams,
      query: NoQuery,
      body: NotifyRequestBody,
      responses: {
        200: { description: 'the customer already waits for this SKU and channel: that request', schema: NotifyRequestAnswer },
        201: { description: 'the customer now waits', schema: NotifyRequestAnswer },
        400: { description: 'the SKU or the body is not valid (`customerId` is 1–128 printable ASCII characters without spaces), or no Idempotency-Key' },
        ...auth,
        404: { description: 'unknown SKU: neither stock nor a catalogue entry' },
        422: { description: '`unknown-channel`: a channel other than `web` that is not registered' },
        503: { description: 'Postgres did not answer (Retry-After: 5): send it again' },
      },
      handler: async ({ params, body }) => {
        // `web` unregistered is no channel of its own: the wait is for the SKU as a whole.
        const channel = channelOf(body.channel);
        if (!(await isKnown(params.sku))) throw unknownSku(params.sku);
        const { request, created } = await orStoreUnavailable(
          postgres,
          store.request({ id: randomUUID(), sku: params.sku, customerId: body.customerId, channel, requestedAt: clock() }),
        );
        return { status: created ? 201 : 200, body: answerOf(request) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/skus/:sku/notify-requests/:customerId',
      operationId: 'deleteNotifyRequest',
      summary:
        'Take back the customer’s request waiting for the SKU — as a whole, or on the `channel` given, with the same rules as asking; requests already notified are kept',
      tags: ['demand'],
      scope: 'stock:reserve',
      // Like DELETE /v1/webhooks/{id}: no Idempotency-Key; a retry after a 204 answers 404, nothing more is removed.
      idempotent: false,
      params: CustomerParams,
      query: ChannelQuery,
      body: NoBody,
      responses: {
        204: { description: 'the waiting request is deleted: no back in stock will tell the customer' },
        400: { description: 'the SKU, the customer id or the channel is not valid' },
        ...auth,
        404: { description: 'the customer has no request waiting for this SKU and channel (never asked, already notified, or taken back)' },
        422: { description: '`unknown-channel`: a channel other than `web` that is not registered' },
        503: { description: 'Postgres did not answer (Retry-After: 5): send it again' },
      },
      handler: async ({ params, query }) => {
        const channel = channelOf(query.channel);
        const deleted = await orStoreUnavailable(postgres, store.cancel({ sku: params.sku, customerId: params.customerId, channel }));
        if (!deleted) {
          throw new Problem({
            type: 'not-found',
            detail: `customer ${params.customerId} has no notify-me request waiting for SKU ${params.sku} ${channel === null ? 'as a whole' : `on channel ${channel}`} (never asked, already notified, or taken back)`,
          });
        }
        return { status: 204, body: null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/skus/:sku/notify-requests',
      operationId: 'countNotifyRequests',
      summary: 'How many customers wait to be told the SKU is back, and how many were told, in all and per channel',
      tags: ['demand'],
      scope: 'stock:read',
      idempotent: false,
      params: SkuParams,
      query: NoQuery,
      body: NoBody,
      responses: {
        200: { description: 'the counts (0 when nobody ever asked)', schema: NotifyRequestCounts },
        400: { description: 'not a valid SKU' },
        ...auth,
        503: { description: 'Postgres did not answer (Retry-After: 5)' },
      },
      handler: async ({ params }) => {
        const byChannel = await orStoreUnavailable(postgres, store.counts(params.sku));
        const sum = (field: 'waiting' | 'notified') => byChannel.reduce((total, c) => total + c[field], 0);
        const body: typeof NotifyRequestCounts.Type = { sku: params.sku, waiting: sum('waiting'), notified: sum('notified'), byChannel };
        return { status: 200, body };
      },
    }),
  ];
};
