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
  readonly request: FastifyRequest;
}

/** What every route declares besides its handler: the server and the OpenAPI builder read this. */
interface RouteMeta<PS extends AnySchema, QS extends AnySchema, BS extends AnySchema> {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Fastify path, e.g. `/v1/stock/:sku`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags: ReadonlyArray<string>;
  /** null: no credentials (health and metrics, protected by the network); a list: any one of them. */
  readonly scope: Scope | ReadonlyArray<Scope> | null;
  /** POST routes: Idempotency-Key required, answers replayed for 24 h. */
  readonly idempotent: boolean;
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
  readonly run: (request: FastifyRequest, principal: Principal, idempotencyKey: string) => Promise<Answer>;
}

const formatIssues = (error: ParseResult.ParseError): Array<{ path: string; message: string }> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));

const decoder = <S extends AnySchema>(schema: S, where: 'path' | 'query' | 'body') => {
  const decode = Schema.decodeUnknownEither(schema, { onExcessProperty: 'error', errors: 'all' });
  return (input: unknown): Schema.Schema.Type<S> => {
    const result = decode(input);
    if (Either.isRight(result)) return result.right;
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
    run: (request, principal, idempotencyKey) =>
      spec.handler({
        params: params(request.params ?? {}),
        query: query(request.query ?? {}),
        body: body(request.body ?? {}),
        principal,
        idempotencyKey,
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
