// GET /v1/stock/events: the live stock stream (Server-Sent Events) for consoles, wall screens and
// storefronts that show stock moving. Stock/StockFeed.ts decides what each client is sent.
import { Sku } from '@larder/domain';
import { Schema } from 'effect';
import { defineRoute, NoBody, NoParams } from '../Http/Route.js';
import { Problem } from '../Http/Problems.js';
import type { StockFeed } from '../Stock/StockFeed.js';

const MaxSkus = 500;

const StreamQuery = Schema.Struct({
  sku: Schema.optional(Schema.Union(Sku, Schema.Array(Sku).pipe(Schema.minItems(1), Schema.maxItems(MaxSkus)))),
  /** For clients that cannot send the `Last-Event-ID` header (the header wins when both are sent). */
  lastEventId: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())),
});

const positionOf = (header: string | Array<string> | undefined, query: number | undefined): number | undefined => {
  if (typeof header !== 'string' || header === '') return query;
  if (!/^\d{1,15}$/.test(header)) throw new Problem({ type: 'invalid-request', detail: `Last-Event-ID "${header}" is not a stream position (the id of an event this stream sent)` });
  return Number(header);
};

export const stockStreamRoutes = (feed: StockFeed) => [
  defineRoute({
    method: 'GET',
    url: '/v1/stock/events',
    operationId: 'streamStock',
    summary: `Live stock changes as Server-Sent Events (\`text/event-stream\`); \`?sku=A&sku=B…\` (up to ${MaxSkus}) or every SKU`,
    tags: ['stock'],
    scope: 'stock:read',
    idempotent: false,
    params: NoParams,
    query: StreamQuery,
    body: NoBody,
    responses: {
      200: {
        description:
          'An event stream. `event: stock` frames carry a SKU\'s availability (the same body as GET /v1/stock/{sku}) with `id:` its position; ' +
          'named SKUs first get their current view, then an `event: ready` frame `{revision, start, missing}` says the stream is live. ' +
          'Reconnect with `Last-Event-ID` (browsers do) to get the latest view of every SKU that changed meanwhile. A client that does not read fast enough is disconnected.',
      },
      400: { description: 'a bad SKU, more than 500, or a bad Last-Event-ID' },
    },
    handler: async ({ query, request }) => {
      const skus = query.sku === undefined ? null : new Set(typeof query.sku === 'string' ? [query.sku] : query.sku);
      const socket = request.raw.socket;
      const { body } = feed.open({
        skus,
        lastEventId: positionOf(request.headers['last-event-id'], query.lastEventId),
        socketBuffered: () => socket.writableLength,
        disconnect: () => socket.destroy(),
        onClose: (listener) => void socket.once('close', listener),
      });
      return {
        status: 200,
        body,
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
      };
    },
  }),
];
