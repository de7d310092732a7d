// The documentation pages, without credentials like /docs/openapi.json itself: the interactive API
// reference at /docs (ApiReference.ts) and the AsyncAPI viewer of the NATS events at /docs/events
// (EventsReference.ts). Registered on the app after buildApp, before it listens.
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { registerApiReference } from './ApiReference.js';
import { registerEventsReference } from './EventsReference.js';

/** `openApi` is the document /docs/openapi.json answers (buildOpenApi). */
export const registerDocs = <Log extends FastifyBaseLogger>(app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Log>, openApi: unknown) => {
  registerApiReference(app, openApi);
  registerEventsReference(app);
};
