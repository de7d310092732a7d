// The operator console's pages (ADR 0018): /console and below, served by the API itself. Each page is
// a small HTML shell — the navigation, who is signed in, and one ES module of apps/api/console — and
// everything it shows comes from the same /v1 routes any client uses, with the session cookie; live
// figures come from GET /v1/stock/events. Preact, htm and uPlot are served from their npm packages,
// never from a CDN. No page is in the OpenAPI document: they are for people, not programs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Either } from 'effect';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { allows, type Principal } from '../Auth/Principal.js';
import type { ConsoleSessions } from './ConsoleSession.js';

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const require = createRequire(import.meta.url);
/** apps/api/console: the same two levels up from src/Console (development) and dist/Console (built). */
const ownAssets = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'console');

const js = 'text/javascript; charset=utf-8';
const css = 'text/css; charset=utf-8';

/** Every file the console serves, read once at start-up: a missing one stops the API with its path. */
const loadAssets = (): ReadonlyMap<string, Asset> => {
  const own = ['console.css', 'lib.js', 'stock.js', 'sku.js', 'drops.js', 'drop.js', 'demand.js', 'back-office.js', 'operations.js'];
  // [served as, a file the package lets us resolve, the browser build beside it]
  const vendor: ReadonlyArray<readonly [string, string, string, string]> = [
    ['vendor/preact.js', 'preact', 'preact.module.js', js],
    ['vendor/hooks.js', 'preact/hooks', 'hooks.module.js', js],
    ['vendor/htm.js', 'htm', 'htm.module.js', js],
    ['vendor/uplot.js', 'uplot/dist/uPlot.esm.js', 'uPlot.esm.js', js],
    ['vendor/uplot.css', 'uplot/dist/uPlot.esm.js', 'uPlot.min.css', css],
  ];
  return new Map<string, Asset>([
    ...own.map((file): [string, Asset] => [file, { type: file.endsWith('.css') ? css : js, body: readFileSync(join(ownAssets, file)) }]),
    ...vendor.map(([name, entry, file, type]): [string, Asset] => [name, { type, body: readFileSync(join(dirname(require.resolve(entry)), file)) }]),
  ]);
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Page {
  readonly path: string;
  readonly title: string;
  readonly script: string;
  /** Shown in the navigation under this name (pages reached from others, like a SKU's, are not). */
  readonly nav?: string;
}

const pages: ReadonlyArray<Page> = [
  { path: '/console', title: 'Stock', script: 'stock.js', nav: 'Stock' },
  { path: '/console/skus/:sku', title: 'SKU', script: 'sku.js' },
  { path: '/console/drops', title: 'Drops', script: 'drops.js', nav: 'Drops' },
  { path: '/console/drops/:dropId', title: 'Drop', script: 'drop.js' },
  { path: '/console/demand', title: 'Demand', script: 'demand.js', nav: 'Demand' },
  { path: '/console/back-office', title: 'Back office', script: 'back-office.js', nav: 'Back office' },
  { path: '/console/operations', title: 'Operations', script: 'operations.js', nav: 'Operations' },
];

const importMap = JSON.stringify({
  imports: { preact: '/console/assets/vendor/preact.js', 'preact/hooks': '/console/assets/vendor/hooks.js', htm: '/console/assets/vendor/htm.js', uplot: '/console/assets/vendor/uplot.js' },
});

const head = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Larder console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
<link rel="stylesheet" href="/console/assets/vendor/uplot.css">
<script type="importmap">${importMap}</script>
</head>`;

const shell = (page: Page, principal: Principal) => {
  const scopes = [...principal.scopes].sort().join(' ');
  const links = pages
    .filter((p) => p.nav !== undefined)
    .map((p) => `<a href="${p.path}"${p === page ? ' aria-current="page"' : ''}>${escape(p.nav ?? '')}</a>`)
    .join('');
  return `${head(page.title)}
<body data-actor="${escape(principal.actor)}" data-scopes="${escape(scopes)}" data-admin="${allows(principal, 'admin')}" data-write="${allows(principal, 'stock:write')}">
<header class="bar">
<a class="brand" href="/console">Larder</a>
<nav aria-label="Console">${links}<a href="/docs">API reference</a><a href="/docs/events">Events</a></nav>
<form class="who" method="post" action="/console/logout"><span title="scopes: ${escape(scopes)}">${escape(principal.actor)}</span> <button type="submit">Sign out</button></form>
</header>
<main id="app"><p class="muted">Loading…</p></main>
<script type="module" src="/console/assets/${page.script}"></script>
</body>
</html>`;
};

const loginPage = (error: string | undefined, next: string) => `${head('Sign in')}
<body class="login">
<main>
<h1>Larder console</h1>
<form method="post" action="/console/login">
<label for="credential">API key or bearer token</label>
<input id="credential" name="credential" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escape(next)}">
${error === undefined ? '' : `<p class="error" role="alert">${escape(error)}</p>`}
<button type="submit">Sign in</button>
</form>
<p class="muted">The key is checked once; the browser then keeps a session cookie. <code>npm start</code> prints a development key.</p>
</main>
</body>
</html>`;

/** Only a path of this console may be a sign-in's destination (no open redirect). */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/console(\/[A-Za-z0-9_.~%/-]*)?$/.test(next) ? next : '/console');

const html = (reply: FastifyReply, status: number, body: string) =>
  reply
    .code(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // Scripts and styles only from this server; the import map is the one inline script.
      'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    })
    .send(body);

export interface ConsoleDeps {
  readonly sessions: ConsoleSessions;
  readonly clock: () => number;
  readonly log: { readonly info: (fields: object, message: string) => void };
}

export const registerConsole = <Log extends FastifyBaseLogger>(app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Log>, deps: ConsoleDeps) => {
  const assets = loadAssets();
  const principalOf = (request: FastifyRequest) => deps.sessions.principalOf(request.headers.cookie, deps.clock());

  void app.register((scope, _options, done) => {
    // The sign-in form posts urlencoded fields; only here.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, parsed) =>
      parsed(null, new URLSearchParams(String(body))),
    );

    scope.get('/console/assets/*', (request, reply) => {
      const params: unknown = request.params;
      const name = typeof params === 'object' && params !== null && '*' in params && typeof params['*'] === 'string' ? params['*'] : '';
      const asset = assets.get(name);
      if (asset === undefined) return reply.code(404).type('text/plain; charset=utf-8').send(`no console asset ${name}`);
      return reply.headers({ 'content-type': asset.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).send(asset.body);
    });

    scope.get('/console/login', (request, reply) => {
      const query: unknown = request.query;
      const next = typeof query === 'object' && query !== null && 'next' in query ? safeNext(query.next) : '/console';
      return html(reply, 200, loginPage(undefined, next));
    });

    scope.post('/console/login', async (request, reply) => {
      const body: unknown = request.body;
      const field = (name: string) => (body instanceof URLSearchParams ? (body.get(name) ?? '') : '');
      const next = safeNext(field('next'));
      const outcome = await deps.sessions.signIn(field('credential'), deps.clock());
      if (Either.isLeft(outcome)) return html(reply, 401, loginPage(outcome.left, next));
      deps.log.info({ actor: outcome.right.principal.actor }, 'console sign-in');
      return reply.code(303).headers({ 'set-cookie': deps.sessions.setCookie(outcome.right.cookie), location: next }).send();
    });

    scope.post('/console/logout', (_request, reply) => reply.code(303).headers({ 'set-cookie': deps.sessions.clear(), location: '/console/login' }).send());

    for (const page of pages) {
      scope.get(page.path, (request, reply) => {
        const principal = principalOf(request);
        if (principal === undefined) return reply.code(303).header('location', `/console/login?next=${encodeURIComponent(request.url)}`).send();
        return html(reply, 200, shell(page, principal));
      });
    }
    done();
  });
};
