// Liveness, readiness and metrics: no credentials (protected by the network, like any scrape
// endpoint), and the OpenAPI document.
import { defineRoute, NoBody, NoParams, NoQuery, type Answer, type AnyRoute } from '../Http/Route.js';
import type { Metrics } from '../Metrics/Metrics.js';

export interface Readiness {
  /** Each dependency: true when usable. */
  readonly checks: () => Readonly<Record<string, boolean>>;
}

/** An operations route: GET, no credentials, no input. */
const openRoute = (
  url: string,
  operationId: string,
  summary: string,
  responses: AnyRoute['responses'],
  handler: () => Promise<Answer>,
) =>
  defineRoute({
    method: 'GET',
    url,
    operationId,
    summary,
    tags: ['operations'],
    scope: null,
    idempotent: false,
    params: NoParams,
    query: NoQuery,
    body: NoBody,
    responses,
    handler,
  });

export const opsRoutes = (readiness: Readiness, metrics: Metrics, openApi: () => unknown) => [
  openRoute('/healthz', 'healthz', 'Liveness: the process answers', { 200: { description: 'alive' } }, async () => ({
    status: 200,
    body: { status: 'ok' },
  })),
  openRoute(
    '/readyz',
    'readyz',
    'Readiness: NATS connected and the stock projection loaded (Redis and Postgres outages do not make an instance unready)',
    { 200: { description: 'ready' }, 503: { description: 'not ready; `checks` says what is missing' } },
    async () => {
      const checks = readiness.checks();
      const ready = Object.values(checks).every(Boolean);
      return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', checks } };
    },
  ),
  openRoute('/metrics', 'metrics', 'Prometheus metrics', { 200: { description: 'text exposition format' } }, async () => ({
    status: 200,
    body: await metrics.registry.metrics(),
    headers: { 'content-type': metrics.registry.contentType },
  })),
  openRoute('/docs/openapi.json', 'openapi', 'This API’s OpenAPI 3.1 document', { 200: { description: 'the document' } }, async () => ({
    status: 200,
    body: openApi(),
  })),
];
