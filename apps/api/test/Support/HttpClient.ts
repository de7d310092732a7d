// A tiny client for one API instance over real HTTP (global fetch): JSON in, the status, headers and
// parsed body out. Credentials default to the admin key; POSTs get a fresh Idempotency-Key unless told.
import { randomUUID } from 'node:crypto';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
  readonly text: string;
}

export interface Credentials {
  /** An x-api-key; `null` sends none. */
  readonly key?: string | null;
  /** An Authorization: Bearer token (sent instead of the key). */
  readonly bearer?: string;
}

export interface PostOptions extends Credentials {
  /** `null` sends no Idempotency-Key header. */
  readonly idempotencyKey?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RawRequest extends Credentials {
  readonly method: string;
  readonly path: string;
  readonly body?: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
  readonly idempotencyKey?: string | null;
}

export interface ApiClient {
  readonly url: string;
  readonly get: (path: string, credentials?: Credentials) => Promise<HttpAnswer>;
  readonly post: (path: string, body: unknown, options?: PostOptions) => Promise<HttpAnswer>;
  readonly put: (path: string, body: unknown, options?: Credentials) => Promise<HttpAnswer>;
  /** Any request, byte for byte (malformed bodies, other content types). */
  readonly raw: (request: RawRequest) => Promise<HttpAnswer>;
}

const parse = (text: string): unknown => {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    return text;
  }
};

export const makeApiClient = (url: string, defaultKey: string): ApiClient => {
  const authHeaders = (c: Credentials): Record<string, string> => {
    if (c.bearer !== undefined) return { authorization: `Bearer ${c.bearer}` };
    const key = c.key === undefined ? defaultKey : c.key;
    return key === null ? {} : { 'x-api-key': key };
  };
  const raw = async (r: RawRequest): Promise<HttpAnswer> => {
    const idempotency = r.idempotencyKey === undefined || r.idempotencyKey === null ? {} : { 'idempotency-key': r.idempotencyKey };
    const response = await fetch(`${url}${r.path}`, {
      method: r.method,
      headers: { ...authHeaders(r), ...idempotency, ...r.headers },
      ...(r.body === undefined ? {} : { body: r.body }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, contentType: response.headers.get('content-type') ?? '', body: parse(text), text };
  };
  return {
    url,
    raw,
    get: (path, credentials = {}) => raw({ method: 'GET', path, ...credentials }),
    post: (path, body, options = {}) =>
      raw({
        method: 'POST',
        path,
        body: JSON.stringify(body),
        ...options,
        idempotencyKey: options.idempotencyKey === undefined ? randomUUID() : options.idempotencyKey,
        headers: { 'content-type': 'application/json', ...options.headers },
      }),
    put: (path, body, options = {}) =>
      raw({ method: 'PUT', path, body: JSON.stringify(body), ...options, headers: { 'content-type': 'application/json' } }),
  };
};
