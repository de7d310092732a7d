// The console's sign-in over real HTTP: a key or a token becomes a signed HttpOnly cookie that the /v1
// routes accept with the key's scopes; a write by cookie needs the console's header (CSRF); a tampered
// cookie or a bad key is refused; pages send the signed-out to sign in and never redirect off-site; the
// assets (own and vendored) are served with their types.
import { nuid } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => f?.cleanup());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

const signIn = async (credential: string, next = '/console') => {
  const answer = await fetch(`${f.api.url}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ credential, next }),
  });
  const setCookie = answer.headers.get('set-cookie') ?? '';
  return { status: answer.status, location: answer.headers.get('location'), setCookie, cookie: setCookie.split(';')[0] ?? '', text: await answer.text() };
};

const withCookie = (cookie: string, path: string, init: RequestInit = {}) =>
  fetch(`${f.api.url}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie } });

describe('console sessions', () => {
  it('signs in with a key: an HttpOnly, SameSite=Strict cookie that reads with the key’s scopes', async () => {
    const session = await signIn(f.keys.read);
    expect(session.status).toBe(303);
    expect(session.location).toBe('/console');
    expect(session.setCookie).toMatch(/^larder_console=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    const sku = uniqueSku('CONSOLE');
    await f.seedStock(sku, 4);
    const read = await withCookie(session.cookie, `/v1/stock/${sku}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ sku, onHand: 4 });
    // stock:read only: a restock is refused for the scope, like the key itself would be.
    const write = await withCookie(session.cookie, '/v1/restocks', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-larder-console': '1', 'idempotency-key': nuid.next() },
      body: JSON.stringify({ sku, qty: 1, reference: 'po-console' }),
    });
    expect(write.status).toBe(403);
    const page = await withCookie(session.cookie, '/console');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-actor="apikey:test-read"');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('a write by cookie needs x-larder-console: 1 (a page of another site cannot send it)', async () => {
    const session = await signIn(f.keys.write);
    const sku = uniqueSku('CONSOLE-W');
    const restock = (headers: Record<string, string>) =>
      withCookie(session.cookie, '/v1/restocks', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': nuid.next(), ...headers },
        body: JSON.stringify({ sku, qty: 2, reference: `po-${nuid.next()}` }),
      });
    const without = await restock({});
    expect(without.status).toBe(403);
    expect(await without.text()).toContain('x-larder-console');
    expect((await restock({ 'x-larder-console': '1' })).status).toBe(202);
    await f.waitForStock(sku, (v) => v.onHand === 2);
    // The ledger names the key behind the session.
    const ledger = await f.api.get(`/v1/skus/${sku}/ledger`);
    expect(ledger.text).toContain('apikey:test-write');
  });

  it('refuses a bad key, a bad token and a tampered cookie; signing out clears the cookie', async () => {
    const bad = await signIn('lk_not-a-key');
    expect(bad.status).toBe(401);
    expect(bad.setCookie).toBe('');
    expect(bad.text).toContain('not a valid API key or bearer token');
    const badToken = await signIn(await f.signJwt({ secret: 'another-secret-another-secret-another' }));
    expect(badToken.status).toBe(401);

    const session = await signIn(f.keys.admin);
    const [body = '', mac = ''] = session.cookie.replace('larder_console=', '').split('.');
    const forged = Buffer.from(JSON.stringify({ kind: 'token', actor: 'user:mallory', scopes: ['admin'], exp: Date.now() + 60_000 })).toString('base64url');
    expect((await withCookie(`larder_console=${forged}.${mac}`, '/v1/ops/runners')).status).toBe(401);
    expect((await withCookie(`larder_console=${body}.${mac.slice(0, -2)}xx`, '/v1/ops/runners')).status).toBe(401);
    expect((await withCookie(session.cookie, '/v1/ops/runners')).status).toBe(200);

    const out = await withCookie(session.cookie, '/console/logout', { method: 'POST' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^larder_console=; .*Max-Age=0/);
  });

  it('signs in with a bearer token: the session carries its principal', async () => {
    const session = await signIn(await f.signJwt({ scopes: ['stock:read'], sub: 'ops-person' }));
    expect(session.status).toBe(303);
    const page = await withCookie(session.cookie, '/console/back-office');
    expect(await page.text()).toContain('data-actor="user:ops-person"');
  });

  it('sends the signed-out to sign in, and only ever back to a console page', async () => {
    const page = await withCookie('', '/console/skus/ABC');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fskus%2FABC');
    expect((await signIn(f.keys.read, '/console/drops')).location).toBe('/console/drops');
    expect((await signIn(f.keys.read, 'https://evil.example/console')).location).toBe('/console');
    expect((await signIn(f.keys.read, '//evil.example')).location).toBe('/console');
    const login = await fetch(`${f.api.url}/console/login?next=%22%3E%3Cscript%3E`);
    expect(await login.text()).not.toContain('"><script>');
  });

  it('serves its own and the vendored assets with their types, and 404s anything else', async () => {
    for (const [path, type] of [
      ['/console/assets/lib.js', 'text/javascript'],
      ['/console/assets/console.css', 'text/css'],
      ['/console/assets/vendor/preact.js', 'text/javascript'],
      ['/console/assets/vendor/hooks.js', 'text/javascript'],
      ['/console/assets/vendor/htm.js', 'text/javascript'],
      ['/console/assets/vendor/uplot.js', 'text/javascript'],
      ['/console/assets/vendor/uplot.css', 'text/css'],
    ] as const) {
      const answer = await fetch(`${f.api.url}${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('content-type'), path).toContain(type);
      expect((await answer.text()).length, path).toBeGreaterThan(100);
    }
    expect((await fetch(`${f.api.url}/console/assets/../../package.json`)).status).toBe(404);
    expect((await fetch(`${f.api.url}/console/assets/nosuch.js`)).status).toBe(404);
  });
});
