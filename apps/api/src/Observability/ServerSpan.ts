// The HTTP server span of one request, named after its declared route (`POST /v1/reservations`): it
// continues the client's `traceparent` when one is sent, and is the active span while the route runs,
// so every command the request sends is its child.
import { contextOfTraceParent } from '@larder/messaging';
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyRequest } from 'fastify';

export interface ServerSpan {
  /** Runs the route with this span active. */
  readonly run: <A>(work: () => Promise<A>) => Promise<A>;
  /** Ends it with the status the client got (5xx marks it an error). */
  readonly end: (status: number) => void;
}

export const IdempotencyKeyAttribute = 'larder.idempotency_key';

export const startServerSpan = (tracer: Tracer, route: { readonly method: string; readonly url: string }, request: FastifyRequest): ServerSpan => {
  const header = request.headers.traceparent;
  const parent = contextOfTraceParent(typeof header === 'string' ? header : undefined);
  const key = request.headers['idempotency-key'];
  const span = tracer.startSpan(
    `${route.method} ${route.url}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: route.method,
        [ATTR_HTTP_ROUTE]: route.url,
        [ATTR_URL_PATH]: request.url.split('?', 1)[0] ?? request.url,
        ...(typeof key === 'string' ? { [IdempotencyKeyAttribute]: key.slice(0, 128) } : {}),
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  return {
    run: (work) => context.with(active, work),
    end: (status) => {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
};
