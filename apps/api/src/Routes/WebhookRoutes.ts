// Webhooks for the shop (DESIGN.md §10, docs/shop-connection.md): register an endpoint, list, read and
// delete it, read its delivery log and dead letters, replay them. Admin only: a registration holds the
// signing secret, and an endpoint receives every stock change.
import { PublicEventTypes, type Names, type PublicEventType } from '@larder/messaging';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Schema } from 'effect';
import { Problem } from '../Http/Problems.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { defineRoute, NoBody, NoParams, NoQuery } from '../Http/Route.js';
import type { DeadLetters } from '../Webhooks/DeadLetters.js';
import { LogEntry, type DeliveryLog } from '../Webhooks/DeliveryLog.js';
import { deleteWebhookConsumers, ensureWebhookConsumers } from '../Webhooks/WebhookConsumers.js';
import { generateSecret, WebhookAnswer, webhookAnswer, WebhookId, WebhookRequest } from '../Webhooks/WebhookEndpoint.js';
import type { WebhookStore } from '../Webhooks/WebhookStore.js';

export interface WebhookRouteDeps {
  readonly names: Names;
  readonly jsm: JetStreamManager;
  readonly store: WebhookStore;
  readonly log: DeliveryLog;
  readonly deadLetters: DeadLetters;
  readonly timeoutMs: number;
  readonly clock?: () => number;
}

const Params = Schema.Struct({ id: WebhookId });
const LogQuery = Schema.Struct({ limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1_000))) });
const Created = Schema.extend(WebhookAnswer, Schema.Struct({ secret: Schema.String }));
const common = { tags: ['webhooks'], scope: 'admin' } as const;
const auth = { 401: { description: 'no valid credentials' }, 403: { description: 'the credentials lack the admin scope' } } as const;
const isPublicEventType = Schema.is(Schema.Literal(...PublicEventTypes));
const notFound = (id: string) => new Problem({ type: 'not-found', detail: `no webhook ${id}` });
const nats = 'webhook registrations (NATS JetStream)';

export const webhookRoutes = (deps: WebhookRouteDeps) => {
  const now = () => Math.floor((deps.clock ?? Date.now)());
  const existing = async (id: string) => {
    const found = await orStoreUnavailable(nats, deps.store.read(id));
    if (found === undefined) throw notFound(id);
    return found;
  };
  return [
    defineRoute({
      ...common,
      method: 'PUT',
      url: '/v1/webhooks/:id',
      operationId: 'putWebhook',
      summary: 'Register a webhook endpoint or change it; deliveries start with the events published after its creation',
      idempotent: false,
      params: Params,
      query: NoQuery,
      body: WebhookRequest,
      responses: {
        200: { description: 'changed (the secret is not shown again)', schema: WebhookAnswer },
        201: { description: 'created: `secret` is shown this once (generated when none was sent)', schema: Created },
        400: { description: 'the body is not valid: url, events (listed in `validEvents`), secret `whsec_<base64>`' },
        ...auth,
        503: { description: 'NATS is unavailable: PUT it again' },
      },
      handler: async ({ params, body }) => {
        const unknown = body.events.filter((e) => !isPublicEventType(e));
        const events: Array<PublicEventType> = [...new Set(body.events.filter(isPublicEventType))];
        if (unknown.length > 0) {
          throw new Problem({
            type: 'invalid-request',
            detail: `unknown event type(s) ${unknown.join(', ')}; valid: ${PublicEventTypes.join(', ')}`,
            extensions: { unknownEvents: unknown, validEvents: PublicEventTypes },
          });
        }
        const before = await orStoreUnavailable(nats, deps.store.read(params.id));
        const at = now();
        const registration = {
          v: 1,
          id: params.id,
          url: body.url,
          events,
          secret: body.secret ?? before?.secret ?? generateSecret(),
          createdAt: before?.createdAt ?? at,
          updatedAt: at,
        } as const;
        // A new endpoint starts at the events after its creation: consumers left by an earlier endpoint of
        // this id (a DELETE that failed after forgetting it) would replay that one's backlog, so they go.
        if (before === undefined) await orStoreUnavailable(nats, deleteWebhookConsumers(deps.jsm, deps.names, params.id));
        // Consumers first: once the registration is visible, every instance's dispatcher finds them.
        await orStoreUnavailable(nats, ensureWebhookConsumers(deps.jsm, deps.names, params.id, events, deps.timeoutMs));
        await orStoreUnavailable(nats, deps.store.write(registration));
        const shown = webhookAnswer(registration);
        return before === undefined ? { status: 201, body: { ...shown, secret: registration.secret } } : { status: 200, body: shown };
      },
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/webhooks',
      operationId: 'listWebhooks',
      summary: 'Every webhook endpoint (secrets are never shown)',
      idempotent: false,
      params: NoParams,
      query: NoQuery,
      body: NoBody,
      responses: { 200: { description: 'the endpoints', schema: Schema.Struct({ items: Schema.Array(WebhookAnswer) }) }, ...auth },
      handler: async () => ({ status: 200, body: { items: (await orStoreUnavailable(nats, deps.store.list())).map(webhookAnswer) } }),
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/webhooks/:id',
      operationId: 'getWebhook',
      summary: 'One webhook endpoint (its secret is never shown)',
      idempotent: false,
      params: Params,
      query: NoQuery,
      body: NoBody,
      responses: { 200: { description: 'the endpoint', schema: WebhookAnswer }, ...auth, 404: { description: 'no such endpoint' } },
      handler: async ({ params }) => ({ status: 200, body: webhookAnswer(await existing(params.id)) }),
    }),
    defineRoute({
      ...common,
      method: 'DELETE',
      url: '/v1/webhooks/:id',
      operationId: 'deleteWebhook',
      summary: 'Stop delivering to an endpoint and forget it (its log and dead letters are kept until they age out or are purged)',
      idempotent: false,
      params: Params,
      query: NoQuery,
      body: NoBody,
      responses: { 204: { description: 'deleted' }, ...auth, 404: { description: 'no such endpoint' } },
      handler: async ({ params }) => {
        await existing(params.id);
        await orStoreUnavailable(nats, deps.store.remove(params.id));
        await orStoreUnavailable(nats, deleteWebhookConsumers(deps.jsm, deps.names, params.id));
        return { status: 204, body: null };
      },
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/webhooks/:id/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log of an endpoint, newest first: each attempt with its time, HTTP status or error, duration and event id (`webhookId`)',
      idempotent: false,
      params: Params,
      query: LogQuery,
      body: NoBody,
      responses: { 200: { description: 'the attempts', schema: Schema.Struct({ items: Schema.Array(LogEntry) }) }, ...auth, 404: { description: 'no such endpoint' } },
      handler: async ({ params, query }) => {
        await existing(params.id);
        return { status: 200, body: { items: await orStoreUnavailable(nats, deps.log.list(params.id, query.limit ?? 100)) } };
      },
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/webhooks/:id/dead-letters',
      operationId: 'listWebhookDeadLetters',
      summary: 'Deliveries of an endpoint that spent their retry budget, with the reason, attempts and last status',
      idempotent: false,
      params: Params,
      query: NoQuery,
      body: NoBody,
      responses: { 200: { description: 'the dead letters, oldest first' }, ...auth, 404: { description: 'no such endpoint' } },
      handler: async ({ params }) => {
        await existing(params.id);
        const letters = await orStoreUnavailable(nats, deps.deadLetters.list(params.id));
        return { status: 200, body: { items: letters.map(({ v: _v, ...letter }) => letter) } };
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/webhooks/:id/dead-letters/replay',
      operationId: 'replayWebhookDeadLetters',
      summary: 'Deliver every dead letter of an endpoint again, once each (with a fresh retry budget); answers how many',
      idempotent: true,
      params: Params,
      query: NoQuery,
      body: NoBody,
      responses: {
        200: { description: 'replayed', schema: Schema.Struct({ replayed: Schema.Int }) },
        400: { description: 'no Idempotency-Key' },
        ...auth,
        404: { description: 'no such endpoint' },
      },
      handler: async ({ params }) => {
        await existing(params.id);
        return { status: 200, body: { replayed: await orStoreUnavailable(nats, deps.deadLetters.replay(params.id)) } };
      },
    }),
  ];
};
