// The interactive API reference at GET /docs: Swagger UI (@fastify/swagger-ui), its scripts and styles
// served from that package itself (/docs/static/*, no CDN: the page works offline). It renders the
// document buildOpenApi made from the route declarations, the very object /docs/openapi.json answers:
// @fastify/swagger holds it in static mode and answers it as it is at /docs/json, which is the URL
// Swagger UI's initializer always loads. "Authorize" offers the document's security schemes (x-api-key,
// bearer JWT), so "Try it out" sends the key. No credentials are needed for the pages themselves.
import fastifySwagger, { type StaticDocumentSpec } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

/** Where the reference is served; /docs/openapi.json (OpsRoutes) stays the document's canonical address. */
export const ApiReferencePrefix = '/docs';

/**
 * The document at its top level, as @fastify/swagger's static mode wants it (it serves it unchanged;
 * its OpenAPI 3.0 typings do not describe the 3.1 document buildOpenApi makes).
 */
const isOpenApiDocument = (value: unknown): value is StaticDocumentSpec['document'] =>
  typeof value === 'object' &&
  value !== null &&
  'openapi' in value &&
  typeof value.openapi === 'string' &&
  'info' in value &&
  'paths' in value &&
  typeof value.paths === 'object';

/** A line of links above Swagger UI's own top bar: the other documentation pages. */
const linksScript = `(function () {
  var nav = document.createElement('nav');
  nav.className = 'larder-docs-links';
  nav.setAttribute('aria-label', 'Larder documentation');
  [['/docs/events', 'Events (AsyncAPI)'], ['/docs/openapi.json', 'OpenAPI document'], ['/console', 'Console']].forEach(function (link) {
    var a = document.createElement('a');
    a.href = link[0];
    a.textContent = link[1];
    nav.appendChild(a);
  });
  document.body.insertBefore(nav, document.body.firstChild);
})();
`;

const linksStyle = `.larder-docs-links { display: flex; gap: 1.5em; padding: 0.5em 1.25em; font: 14px sans-serif; background: #f4f4f4; border-bottom: 1px solid #ddd; }
.larder-docs-links a { color: #1f4f8f; }
`;

/** Serves the reference of `openApi` (buildOpenApi's document) at /docs and /docs/. */
export const registerApiReference = <Log extends FastifyBaseLogger>(app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Log>, openApi: unknown) => {
  if (!isOpenApiDocument(openApi)) throw new Error('the API reference needs the OpenAPI document built before the app is served');
  // Encapsulated: the `swagger` decorator and the reference's routes stay in this context.
  void app.register(async (scope) => {
    await scope.register(fastifySwagger, { mode: 'static', specification: { document: openApi } });
    await scope.register(fastifySwaggerUi, {
      routePrefix: ApiReferencePrefix,
      // No call to an online validator: the page works without internet.
      validatorUrl: false,
      uiConfig: { deepLinking: true, displayRequestDuration: true, filter: true, persistAuthorization: false },
      theme: {
        title: 'Larder sales API reference',
        js: [{ filename: 'larder-links.js', content: linksScript }],
        css: [{ filename: 'larder-links.css', content: linksStyle }],
      },
    });
  });
};
