// Authentication and scopes over real HTTP (DESIGN.md §6): every /v1 route needs an x-api-key or an
// HS256 bearer JWT with the route's scope; a token wrong in any one way is a 401, a missing scope a
// 403 naming it; the operations routes need nothing.
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
let sku: string;
beforeAll(async () => {
  f = await makeSystemFixture();
  sku = uniqueSku('AUTH');
  await f.seedStock(sku, 5);
});
afterAll(async () => f?.cleanup());

const stockPath = () => `/v1/stock/${sku}`;

describe('API keys', () => {
  it('no credentials → 401 problem+json', async () => {
    expect(problemOf(await f.api.get(stockPath(), { key: null }))).toEqual(problem(401, 'unauthorized'));
    expect(problemOf(await f.api.get(`/v1/stock?sku=${sku}`, { key: null }))).toEqual(problem(401, 'unauthorized'));
  });

  it('an unknown key → 401', async () => {
    expect(problemOf(await f.api.get(stockPath(), { key: 'lk_not-a-key-anyone-was-given' }))).toEqual(problem(401, 'unauthorized'));
  });

  it('a key of the right scope → 200; admin carries every scope', async () => {
    expect((await f.api.get(stockPath(), { key: f.keys.read })).status).toBe(200);
    expect((await f.api.get(stockPath(), { key: f.keys.admin })).status).toBe(200);
  });

  it('a key without the route’s scope → 403 naming the scope it needs', async () => {
    for (const key of [f.keys.write, f.keys.reserve]) {
      const answer = await f.api.get(stockPath(), { key });
      expect(problemOf(answer)).toEqual(problem(403, 'forbidden'));
      expect(answer.body).toMatchObject({ requiredScope: 'stock:read' });
      expect(answer.text).toContain('stock:read');
    }
  });

  it('credentials are checked before anything else of a POST (no key and no Idempotency-Key → 401)', async () => {
    const answer = await f.api.post('/v1/reservations', { lines: [{ sku, qty: 1 }] }, { key: null, idempotencyKey: null });
    expect(problemOf(answer)).toEqual(problem(401, 'unauthorized'));
  });

  it('an Authorization header that is not a bearer token → 401', async () => {
    const basic = await f.api.raw({ method: 'GET', path: stockPath(), key: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(problemOf(basic)).toEqual(problem(401, 'unauthorized'));
  });
});

describe('bearer JWTs (HS256 shared secret)', () => {
  it('a valid token with the scope → 200', async () => {
    const answer = await f.api.get(stockPath(), { bearer: await f.signJwt() });
    expect(answer.status).toBe(200);
  });

  it('a valid token with its scopes as an array, or with admin → 200', async () => {
    expect((await f.api.get(stockPath(), { bearer: await f.signJwt({ scopes: ['stock:read'] }) })).status).toBe(200);
    expect((await f.api.get(stockPath(), { bearer: await f.signJwt({ scope: 'admin' }) })).status).toBe(200);
  });

  it('a valid token without the scope → 403', async () => {
    const answer = await f.api.get(stockPath(), { bearer: await f.signJwt({ scope: 'stock:reserve' }) });
    expect(problemOf(answer)).toEqual(problem(403, 'forbidden'));
  });

  const now = () => Math.floor(Date.now() / 1000);
  const wrong: ReadonlyArray<readonly [string, () => Promise<string>]> = [
    ['expired', () => f.signJwt({ expiresAt: now() - 600 })],
    ['from another issuer', () => f.signJwt({ issuer: 'https://evil.example/' })],
    ['for another audience', () => f.signJwt({ audience: 'someone-else' })],
    ['signed with another secret', () => f.signJwt({ secret: 'not-the-secret-not-the-secret-not-the-secret' })],
    ['signed with HS512 (algorithm not allowed)', () => f.signJwt({ alg: 'HS512' })],
    [
      'unsigned (alg: none)',
      async () =>
        new UnsecuredJWT({ scope: 'admin' })
          .setSubject('mallory')
          .setIssuer(f.jwt.issuer)
          .setAudience(f.jwt.audience)
          .setExpirationTime(now() + 300)
          .encode(),
    ],
    ['with its payload changed after signing', async () => {
      const [header, , signature] = (await f.signJwt()).split('.');
      const payload = Buffer.from(JSON.stringify({ sub: 'mallory', scope: 'admin', iss: f.jwt.issuer, aud: f.jwt.audience, exp: now() + 300 })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }],
    ['not a JWT at all', async () => 'definitely-not-a-jwt'],
  ];
  it.each(wrong)('a token %s → 401', async (_, token) => {
    const answer = await f.api.get(stockPath(), { bearer: await token() });
    expect(problemOf(answer)).toEqual(problem(401, 'unauthorized'));
  });
});

describe('operations routes', () => {
  it.each(['/healthz', '/readyz', '/metrics', '/docs/openapi.json'])('%s needs no credentials', async (path) => {
    expect((await f.api.get(path, { key: null })).status).toBe(200);
  });
});
