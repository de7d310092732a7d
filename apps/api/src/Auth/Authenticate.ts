// Turns a request's credentials into a Principal, or a 401/403 problem. `x-api-key` or
// `Authorization: Bearer <JWT>`; nothing under /v1 is open.
import type { FastifyRequest } from 'fastify';
import { Problem } from '../Http/Problems.js';
import { allows, type Principal, type Scope } from './Principal.js';

export interface Verifiers {
  readonly apiKey: (key: string) => Principal | undefined;
  readonly jwt: ((token: string) => Promise<Principal | undefined>) | undefined;
}

const unauthorized = (detail: string) => new Problem({ type: 'unauthorized', detail });

export const authenticate = async (
  request: FastifyRequest,
  verifiers: Verifiers,
  scope: Scope | ReadonlyArray<Scope>,
): Promise<Principal> => {
  const key = request.headers['x-api-key'];
  const authorization = request.headers.authorization;
  let principal: Principal | undefined;
  if (typeof key === 'string' && key.length > 0) {
    principal = verifiers.apiKey(key);
    if (principal === undefined) throw unauthorized('the x-api-key is not valid');
  } else if (typeof authorization === 'string' && /^Bearer\s+\S+$/i.test(authorization)) {
    if (verifiers.jwt === undefined) throw unauthorized('bearer tokens are not configured on this server');
    principal = await verifiers.jwt(authorization.replace(/^Bearer\s+/i, ''));
    if (principal === undefined) throw unauthorized('the bearer token is not valid (signature, expiry, issuer or audience)');
  } else {
    throw unauthorized('send an x-api-key header or Authorization: Bearer <token>');
  }
  const anyOf: ReadonlyArray<Scope> = typeof scope === 'string' ? [scope] : scope;
  if (!anyOf.some((s) => allows(principal, s))) {
    const named = anyOf.map((s) => `"${s}"`).join(' or ');
    throw new Problem({ type: 'forbidden', detail: `this route needs the scope ${named}`, extensions: { requiredScope: anyOf.length === 1 ? anyOf[0] : anyOf } });
  }
  return principal;
};
