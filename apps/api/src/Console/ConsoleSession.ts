// The console's sign-in: a person pastes an API key (or a bearer token) once, and the browser keeps a
// signed, HttpOnly session cookie instead (EventSource and downloads cannot send headers). The cookie
// names the key by its hash, so a key taken out of LARDER_API_KEYS ends its sessions at once; a
// token's session carries its principal and ends when the token would have. Requests authenticated
// by the cookie that change something must also carry `x-larder-console: 1`: a header a page on
// another site cannot add without a CORS preflight this server never allows (CSRF).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Either, Schema } from 'effect';
import { decodeJwt } from 'jose';
import { hashApiKey, type ApiKeyEntry } from '../Auth/ApiKeys.js';
import { Scope, type Principal } from '../Auth/Principal.js';

export const SessionCookie = 'larder_console';
export const ConsoleHeader = 'x-larder-console';

const Payload = Schema.Union(
  Schema.Struct({ kind: Schema.Literal('key'), hash: Schema.String, exp: Schema.Number }),
  Schema.Struct({ kind: Schema.Literal('token'), actor: Schema.String, scopes: Schema.Array(Scope), exp: Schema.Number }),
);
type Payload = typeof Payload.Type;
const decodePayload = Schema.decodeUnknownEither(Schema.parseJson(Payload));

export interface ConsoleSessions {
  /** A session for what the person pasted, or why not. */
  readonly signIn: (credential: string, now: number) => Promise<Either.Either<{ readonly cookie: string; readonly principal: Principal }, string>>;
  /** The principal of a `Cookie` header's session, if it holds a live one. */
  readonly principalOf: (cookieHeader: string | undefined, now: number) => Principal | undefined;
  /** The Set-Cookie value of a session (and of its removal: `clear`). */
  readonly setCookie: (value: string) => string;
  readonly clear: () => string;
}

export interface ConsoleSessionSettings {
  readonly secret: string | undefined;
  readonly ttlMs: number;
  readonly secure: boolean;
  readonly apiKeys: ReadonlyArray<ApiKeyEntry>;
  readonly apiKey: (key: string) => Principal | undefined;
  readonly jwt: ((token: string) => Promise<Principal | undefined>) | undefined;
}

const cookieValue = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SessionCookie) return value.join('=');
  }
  return undefined;
};

export const makeConsoleSessions = (settings: ConsoleSessionSettings): ConsoleSessions => {
  const secret = settings.secret ?? randomBytes(32).toString('base64url');
  const byHash = new Map(settings.apiKeys.map((e) => [e.sha256, e]));
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  const seal = (payload: Payload) => {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${sign(body)}`;
  };
  const open = (value: string): Payload | undefined => {
    const [body, mac, ...rest] = value.split('.');
    if (body === undefined || mac === undefined || rest.length > 0) return undefined;
    const expected = Buffer.from(sign(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const decoded = decodePayload(Buffer.from(body, 'base64url').toString('utf8'));
    return Either.isRight(decoded) ? decoded.right : undefined;
  };
  const attributes = (maxAgeS: number) => `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${settings.secure ? '; Secure' : ''}`;

  return {
    signIn: async (credential, now) => {
      const given = credential.trim();
      if (given === '') return Either.left('paste an API key or a bearer token');
      const key = settings.apiKey(given);
      if (key !== undefined) return Either.right({ cookie: seal({ kind: 'key', hash: hashApiKey(given), exp: now + settings.ttlMs }), principal: key });
      if (settings.jwt !== undefined && given.split('.').length === 3) {
        const principal = await settings.jwt(given).catch(() => undefined);
        if (principal !== undefined) {
          const claims = decodeJwt(given);
          const tokenEnds = typeof claims.exp === 'number' ? claims.exp * 1000 : now + settings.ttlMs;
          return Either.right({ cookie: seal({ kind: 'token', actor: principal.actor, scopes: [...principal.scopes], exp: Math.min(now + settings.ttlMs, tokenEnds) }), principal });
        }
      }
      return Either.left('that is not a valid API key or bearer token for this server');
    },
    principalOf: (header, now) => {
      const value = cookieValue(header);
      if (value === undefined) return undefined;
      const payload = open(value);
      if (payload === undefined || payload.exp <= now) return undefined;
      if (payload.kind === 'token') return { actor: payload.actor, scopes: new Set(payload.scopes) };
      const entry = byHash.get(payload.hash);
      return entry === undefined ? undefined : { actor: `apikey:${entry.name}`, scopes: new Set(entry.scopes) };
    },
    setCookie: (value) => `${SessionCookie}=${value}; ${attributes(Math.floor(settings.ttlMs / 1000))}`,
    clear: () => `${SessionCookie}=; ${attributes(0)}`,
  };
};
