// Liveness, readiness and metrics: no credentials (protected by the network, like any scrape
// endpoint), and the OpenAPI document.
import { Schema } from 'effect';
import { defineRoute, NoBody, NoQuery } from '../Http/Route.js';
import type { Metrics } from '../Metrics/Metrics.js';

export interface Readiness {
  /** Each dependency: true when usable. */
  readonly checks: () => Readonly<Record<string, boolean>>;
}

const NoParams = Schema.Struct({});

export const opsRoutes = (readiness: Readiness, metrics: Metrics, openApi: () => unknown) => [
  defineRoute({
    method: 'GET',
    url: '/healthz',
    operationId: 'healthz',
    summary: 'Liveness: the process answers',
    tags: ['operations'],
    scope: null,
    idempotent: false,
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    responses: { 200: { description: 'alive' } },
    handler: async () => ({ status: 200, body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/readyz',
    operationId: 'readyz',
    summary: 'Readiness: NATS connected, Redis reachable, the stock projection loaded',
    tags: ['operations'],
    scope: null,
    idempotent: false,
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    responses: { 200: { description: 'ready' }, 503: { description: 'not ready; `checks` says what is missing' } },
    handler: async () => {
      const checks = readiness.checks();
      const ready = Object.values(checks).every(Boolean);
      return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', checks } };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    tags: ['operations'],
    scope: null,
    idempotent: false,
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    responses: { 200: { description: 'text exposition format' } },
    handler: async () => ({
      status: 200,
      body: await metrics.registry.metrics(),
      headers: { 'content-type': metrics.registry.contentType },
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/docs/openapi.json',
    operationId: 'openapi',
    summary: 'This API’s OpenAPI 3.1 document',
    tags: ['operations'],
    scope: null,
    idempotent: false,
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    responses: { 200: { description: 'the document' } },
    handler: async () => ({ status: 200, body: openApi() }),
  }),
];
