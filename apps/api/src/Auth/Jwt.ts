// Bearer JWTs verified with jose: a shared secret (HS256) or a JWKS URL (RS256, ES256), algorithms
// pinned, issuer and audience required. Scopes come from `scope` (space-separated) or `scopes`.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { Schema } from 'effect';
import { Scope, type Principal } from './Principal.js';

export type JwtSettings =
  | { readonly kind: 'secret'; readonly secret: string; readonly issuer: string; readonly audience: string }
  | { readonly kind: 'jwks'; readonly url: string; readonly issuer: string; readonly audience: string };

const isScope = Schema.is(Scope);

const scopesOf = (payload: JWTPayload): ReadonlySet<Scope> => {
  const raw = payload['scope'];
  const list = payload['scopes'];
  const names = typeof raw === 'string' ? raw.split(' ') : Array.isArray(list) ? list : [];
  return new Set(names.filter(isScope));
};

/** Resolves to the principal, or undefined for any token that does not verify (expired, wrong issuer…). */
export const makeJwtVerifier = (settings: JwtSettings) => {
  const options = { issuer: settings.issuer, audience: settings.audience };
  const verify =
    settings.kind === 'secret'
      ? ((key: Uint8Array) => (token: string) => jwtVerify(token, key, { ...options, algorithms: ['HS256'] }))(
          new TextEncoder().encode(settings.secret),
        )
      : ((jwks: ReturnType<typeof createRemoteJWKSet>) => (token: string) =>
          jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'ES256'] }))(createRemoteJWKSet(new URL(settings.url)));
  return async (token: string): Promise<Principal | undefined> => {
    try {
      const { payload } = await verify(token);
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
      return { actor: `user:${payload.sub}`, scopes: scopesOf(payload) };
    } catch {
      return undefined;
    }
  };
};
