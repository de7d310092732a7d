// Credentials for a test system: one API key per scope combination (entries for LARDER_API_KEYS) and
// HS256 JWTs signed with jose against the secret, issuer and audience the API instances are given.
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { generateApiKey } from '../../src/Auth/ApiKeys.js';
import type { Scope } from '../../src/Auth/Principal.js';

export interface JwtClaims {
  readonly sub?: string;
  /** Space-separated scopes (`scope` claim). */
  readonly scope?: string;
  /** Scopes as an array (`scopes` claim), sent instead of `scope`. */
  readonly scopes?: ReadonlyArray<string>;
  readonly issuer?: string;
  readonly audience?: string;
  /** Seconds since the epoch. */
  readonly expiresAt?: number;
  readonly secret?: string;
  readonly alg?: 'HS256' | 'HS384' | 'HS512';
}

export const makeTestCredentials = () => {
  const admin = generateApiKey('test-admin', ['admin']);
  const read = generateApiKey('test-read', ['stock:read']);
  // One scope each, so every route's scope check can be seen refusing a key that lacks it.
  const reserve = generateApiKey('test-reserve', ['stock:reserve']);
  // A second checkout client: it must not see, commit or release the first one's holds.
  const otherReserve = generateApiKey('test-reserve-other', ['stock:reserve']);
  const write = generateApiKey('test-write', ['stock:write']);
  const jwt = { secret: randomBytes(32).toString('base64url'), issuer: 'https://auth.larder.test/', audience: 'larder-api' };

  /** A bearer token; every claim can be overridden to make it wrong in exactly one way. */
  const signJwt = async (claims: JwtClaims = {}) => {
    const scopes: ReadonlyArray<Scope> = ['stock:read'];
    const token = new SignJWT(claims.scopes === undefined ? { scope: claims.scope ?? scopes.join(' ') } : { scopes: [...claims.scopes] })
      .setProtectedHeader({ alg: claims.alg ?? 'HS256' })
      .setSubject(claims.sub ?? 'checkout-service')
      .setIssuer(claims.issuer ?? jwt.issuer)
      .setAudience(claims.audience ?? jwt.audience)
      .setIssuedAt()
      .setExpirationTime(claims.expiresAt ?? Math.floor(Date.now() / 1000) + 300);
    return token.sign(new TextEncoder().encode(claims.secret ?? jwt.secret));
  };

  return {
    keys: { admin: admin.key, read: read.key, reserve: reserve.key, otherReserve: otherReserve.key, write: write.key },
    /** Environment of an API instance that accepts these credentials. */
    env: {
      LARDER_API_KEYS: JSON.stringify([admin.entry, read.entry, reserve.entry, otherReserve.entry, write.entry]),
      LARDER_JWT_SECRET: jwt.secret,
      LARDER_JWT_ISSUER: jwt.issuer,
      LARDER_JWT_AUDIENCE: jwt.audience,
    },
    jwt,
    signJwt,
  };
};

export type TestCredentials = ReturnType<typeof makeTestCredentials>;
export type TestKeys = TestCredentials['keys'];
