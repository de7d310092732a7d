// The AsyncAPI viewer for analysts at GET /docs/events: docs/asyncapi.yaml (the document `npm run
// docs:asyncapi` writes from libs/messaging) rendered in the browser by @asyncapi/react-component's
// standalone bundle, served from that package itself (no CDN: the page works offline). The document is
// also answered as committed (/docs/asyncapi.yaml) and as JSON (/docs/asyncapi.json), without credentials.
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { parse } from 'yaml';

/**
 * The committed document, four levels above this module in src/Docs and in dist/Docs alike (the image
 * copies docs/asyncapi.yaml beside apps/: see the Dockerfile).
 */
const asyncApiFile = fileURLToPath(new URL('../../../../docs/asyncapi.yaml', import.meta.url));

const packages = createRequire(import.meta.url);

/** The viewer's files, resolved through the package (not a path into node_modules): src and dist alike. */
const viewerAssets = () => ({
  'asyncapi.js': { file: packages.resolve('@asyncapi/react-component/browser/standalone/index.js'), type: 'application/javascript; charset=utf-8' },
  'asyncapi.css': { file: packages.resolve('@asyncapi/react-component/styles/default.min.css'), type: 'text/css; charset=utf-8' },
});

export const EventsPaths = {
  page: '/docs/events',
  assets: '/docs/events/static',
  yaml: '/docs/asyncapi.yaml',
  json: '/docs/asyncapi.json',
} as const;

/** Renders the document once the standalone bundle has defined AsyncApiStandalone. */
const initScript = `AsyncApiStandalone.render(
  {
    schema: { url: ${JSON.stringify(EventsPaths.json)}, requestOptions: { headers: { accept: 'application/json' } } },
    config: { show: { sidebar: true }, expand: { messageExamples: true } },
  },
  document.getElementById('asyncapi'),
);
`;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Larder events (AsyncAPI)</title>
<link rel="stylesheet" href="${EventsPaths.assets}/asyncapi.css">
<style>
  body { margin: 0; }
  .larder-docs-links { display: flex; gap: 1.5em; padding: 0.5em 1.25em; font: 14px sans-serif; background: #f4f4f4; border-bottom: 1px solid #ddd; }
  .larder-docs-links a { color: #1f4f8f; }
</style>
</head>
<body>
<nav class="larder-docs-links" aria-label="Larder documentation">
  <a href="/docs">HTTP API reference</a>
  <a href="/console">Console</a>
  <a href="${EventsPaths.yaml}">AsyncAPI document (YAML)</a>
  <a href="${EventsPaths.json}">AsyncAPI document (JSON)</a>
</nav>
<main id="asyncapi"><noscript>This viewer needs JavaScript; the document itself is at <a href="${EventsPaths.yaml}">${EventsPaths.yaml}</a>.</noscript></main>
<script src="${EventsPaths.assets}/asyncapi.js"></script>
<script src="${EventsPaths.assets}/init.js"></script>
</body>
</html>
`;

/** Serves the viewer, its files and the document; fails at once when the document or the package is missing. */
export const registerEventsReference = <Log extends FastifyBaseLogger>(app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Log>) => {
  const yaml = readFileSync(asyncApiFile, 'utf8');
  const json = JSON.stringify(parse(yaml));
  const assets = viewerAssets();
  void app.register(async (scope) => {
    scope.get(EventsPaths.page, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
    scope.get(EventsPaths.yaml, async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(yaml));
    scope.get(EventsPaths.json, async (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
    scope.get(`${EventsPaths.assets}/init.js`, async (_request, reply) => reply.type('application/javascript; charset=utf-8').send(initScript));
    for (const [name, asset] of Object.entries(assets)) {
      scope.get(`${EventsPaths.assets}/${name}`, async (_request, reply) =>
        reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(createReadStream(asset.file)),
      );
    }
  });
};
