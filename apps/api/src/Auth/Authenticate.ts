// Turns a request's credentials into a Principal, or a 401/403 problem. `x-api-key`,
// `Authorization: Bearer <JWT>`, or the console's session cookie (Console/ConsoleSession.ts; a write
// by cookie must carry `x-larder-console: 1`); nothing under /v1 is open.
import type { FastifyRequest } from 'fastify';
import { Problem } from '../Http/Problems.js';
import { allows, type Principal, type Scope } from './Principal.js';
import { ConsoleHeader } from '../Console/ConsoleSession.js';

export interface Verifiers {
  readonly apiKey: (key: string) => Principal | undefined;
  readonly jwt: ((token: string) => Promise<Principal | undefined>) | undefined;
  /** The console's session cookie, when the console is served. */
  readonly session?: (cookieHeader: string | undefined) => Principal | undefined;
}

const unauthorized = (detail: string) => new Problem({ type: 'unauthorized', detail });

/**
 * An API key is checked at once (a memo lookup), so the answer is the Principal itself; only a bearer
 * token's check returns a Promise. Refusals are thrown (as Problems), in both cases.
 */
export const authenticate = (
  request: FastifyRequest,
  verifiers: Verifiers,
  scope: Scope | ReadonlyArray<Scope>,
): Principal | Promise<Principal> => {
  const key = request.headers['x-api-key'];
  const authorization = request.headers.authorization;
  if (typeof key === 'string' && key.length > 0) {
    const principal = verifiers.apiKey(key);
    if (principal === undefined) throw unauthorized('the x-api-key is not valid');
    return withScope(principal, scope);
  }
  if (typeof authorization === 'string' && /^Bearer\s+\S+$/i.test(authorization)) {
    const jwt = verifiers.jwt;
    if (jwt === undefined) throw unauthorized('bearer tokens are not configured on this server');
    return jwt(authorization.replace(/^Bearer\s+/i, '')).then((principal) => {
      if (principal === undefined) throw unauthorized('the bearer token is not valid (signature, expiry, issuer or audience)');
      return withScope(principal, scope);
    });
  }
  const cookie = request.headers.cookie;
  if (verifiers.session !== undefined && cookie !== undefined) {
    const principal = verifiers.session(cookie);
    if (principal !== undefined) {
      if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers[ConsoleHeader] !== '1') {
        throw new Problem({ type: 'forbidden', detail: `a change made with the console's session must carry the header ${ConsoleHeader}: 1 (pages of other sites cannot send it)` });
      }
      return withScope(principal, scope);
    }
  }
  throw unauthorized('send an x-api-key header or Authorization: Bearer <token>');
};

const withScope = (principal: Principal, scope: Scope | ReadonlyArray<Scope>): Principal => {
  const anyOf: ReadonlyArray<Scope> = typeof scope === 'string' ? [scope] : scope;
  if (!anyOf.some((s) => allows(principal, s))) {
    const named = anyOf.map((s) => `"${s}"`).join(' or ');
    throw new Problem({ type: 'forbidden', detail: `this route needs the scope ${named}`, extensions: { requiredScope: anyOf.length === 1 ? anyOf[0] : anyOf } });
  }
  return principal;
};
