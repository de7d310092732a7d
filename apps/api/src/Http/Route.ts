// One way to declare a route: Effect schemas for params, query and body (decoded strictly, unknown
// fields refused), the scope it needs, whether it is idempotent by key, and its documented answers.
// The same declarations produce the OpenAPI document (`OpenApi.ts`).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Either, ParseResult, Schema } from 'effect';
import type { Principal, Scope } from '../Auth/Principal.js';
import { Problem } from './Problems.js';

export type AnySchema = Schema.Schema.AnyNoContext;

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: Principal;
  /** The Idempotency-Key of an idempotent route (also the command id's root). */
  readonly idempotencyKey: string;
  /** Digest of the request (method, URL, body) an idempotent route's retry must match. */
  readonly fingerprint: string;
  readonly request: FastifyRequest;
}

/** What every route declares besides its handler: the server and the OpenAPI builder read this. */
interface RouteMeta<PS extends AnySchema, QS extends AnySchema, BS extends AnySchema> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify path, e.g. `/v1/stock/:sku`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags: ReadonlyArray<string>;
  /** null: no credentials (health and metrics, protected by the network); a list: any one of them. */
  readonly scope: Scope | ReadonlyArray<Scope> | null;
  /** POST routes: Idempotency-Key required, answers replayed for 24 h. */
  readonly idempotent: boolean;
  /**
   * The handler keeps and replays its own answers (holds: the reservation record is the key's record,
   * ADR 0012), so the idempotency store is not asked; a retry on the same instance while the first
   * runs still gets 409.
   */
  readonly answersRetries?: true;
  /** The body's media type when it is not JSON (CSV imports: `text/csv`, handed over as a stream). */
  readonly bodyMediaType?: 'text/csv';
  /**
   * A JSON body handed over as its bytes (`body` is then `RawJsonBody`, Http/RawJson.ts), under its own
   * size limit: a signed webhook verifies the bytes before it parses them. `documented` is the JSON the
   * bytes must hold, for the OpenAPI document.
   */
  readonly rawBody?: { readonly limitBytes: number; readonly documented: AnySchema };
  /** Request headers the handler itself requires (a webhook's signature), for the OpenAPI document. */
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly pattern: string }>>;
  readonly params: PS;
  readonly query: QS;
  readonly body: BS;
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: AnySchema }>>;
}

export interface RouteSpec<PS extends AnySchema, QS extends AnySchema, BS extends AnySchema> extends RouteMeta<PS, QS, BS> {
  readonly handler: (
    input: RouteInput<Schema.Schema.Type<PS>, Schema.Schema.Type<QS>, Schema.Schema.Type<BS>>,
  ) => Promise<Answer>;
}

/** A route with its types erased, as the server and the OpenAPI builder see it. */
export interface AnyRoute extends RouteMeta<AnySchema, AnySchema, AnySchema> {
  readonly run: (request: FastifyRequest, principal: Principal, idempotencyKey: string, fingerprint: string) => Promise<Answer>;
}

const formatIssues = (error: ParseResult.ParseError): Array<{ path: string; message: string }> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));

/** No own keys (`{}`, or a body that was never sent): what `NoParams`/`NoQuery`/`NoBody` accept. */
const isEmpty = (input: unknown) => {
  if (input === undefined || input === null) return true;
  if (typeof input !== 'object') return false;
  for (const key in input) if (Object.hasOwn(input, key)) return false;
  return true;
};

/**
 * `NoParams`, `NoQuery` or `NoBody`. Takes `unknown`: compared as the generic schema type, tsc refuses
 * the comparison (TS2367, the types "have no overlap").
 */
const isNoInput = (schema: unknown) => schema === NoParams || schema === NoQuery || schema === NoBody;

/** Distinct path parameter sets remembered per route before the memory starts over. */
const DecodedPathsKept = 10_000;

/** Fastify's params as one string (names and values, unambiguous), or undefined if a value is not a string. */
const pathText = (input: unknown): string | undefined => {
  if (typeof input !== 'object' || input === null) return undefined;
  for (const value of Object.values(input)) if (typeof value !== 'string') return undefined;
  return JSON.stringify(input);
};

const decoder = <S extends AnySchema>(schema: S, where: 'path' | 'query' | 'body') => {
  const decode = Schema.decodeUnknownEither(schema, { onExcessProperty: 'error', errors: 'all' });
  // Most routes take no params, query or body: an empty input needs no Schema run (it is on every read).
  // A query of optional fields (a stock read's `?channel`) decodes an empty one the same every time too.
  const acceptsOnlyEmpty = isNoInput(schema) || where === 'query';
  const empty = acceptsOnlyEmpty ? Either.getOrUndefined(decode({})) : undefined;
  // Path parameters repeat (a hot SKU is read thousands of times a second): a valid decode is kept by
  // its raw text. Decoding is pure and the decoded values are read-only, so sharing them is safe.
  const decodedPaths = where === 'path' ? new Map<string, Schema.Schema.Type<S>>() : undefined;
  return (input: unknown): Schema.Schema.Type<S> => {
    if (empty !== undefined && isEmpty(input)) return empty;
    const text = decodedPaths === undefined ? undefined : pathText(input);
    if (text !== undefined) {
      const known = decodedPaths?.get(text);
      if (known !== undefined) return known;
    }
    const result = decode(input);
    if (Either.isRight(result)) {
      if (text !== undefined && decodedPaths !== undefined) {
        if (decodedPaths.size >= DecodedPathsKept) decodedPaths.clear();
        decodedPaths.set(text, result.right);
      }
      return result.right;
    }
    const issues = formatIssues(result.left);
    throw new Problem({
      type: 'invalid-request',
      detail: `the ${where} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`.slice(0, 2000),
      extensions: { issues: issues.slice(0, 50).map((i) => ({ ...i, in: where })) },
    });
  };
};

export const defineRoute = <PS extends AnySchema, QS extends AnySchema, BS extends AnySchema>(
  spec: RouteSpec<PS, QS, BS>,
): AnyRoute => {
  const params = decoder(spec.params, 'path');
  const query = decoder(spec.query, 'query');
  const body = decoder(spec.body, 'body');
  return {
    ...spec,
    run: (request, principal, idempotencyKey, fingerprint) =>
      spec.handler({
        params: params(request.params ?? {}),
        query: query(request.query ?? {}),
        body: body(request.body ?? {}),
        principal,
        idempotencyKey,
        fingerprint,
        request,
      }),
  };
};

/** Sends an answer (JSON) with its headers. */
export const send = (reply: FastifyReply, answer: Answer) => {
  if (answer.headers !== undefined) void reply.headers(answer.headers);
  return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
};

export const NoParams = Schema.Struct({});
export const NoQuery = Schema.Struct({});
export const NoBody = Schema.Struct({});
