// The Fastify instance: one wrapper runs every declared route (auth → idempotency → decode →
// handler → metrics), one error handler renders every refusal as problem+json and hides 5xx details.
import underPressure from '@fastify/under-pressure';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { authenticate, type Verifiers } from '../Auth/Authenticate.js';
import { admissionOptions, sheddable, type AdmissionPolicy } from './Admission.js';
import type { Principal } from '../Auth/Principal.js';
import { fingerprintOf, type IdempotencyStore } from '../Idempotency/IdempotencyStore.js';
import type { Metrics } from '../Metrics/Metrics.js';
import { startServerSpan } from '../Observability/ServerSpan.js';
import { CsvUpload } from './CsvUpload.js';
import { RawJson } from './RawJson.js';
import { Problem, problemBody, ProblemTypes } from './Problems.js';
import { send, type Answer, type AnyRoute } from './Route.js';

export interface AppDeps {
  readonly log: Logger;
  readonly bodyLimitBytes: number;
  readonly verifiers: Verifiers;
  readonly idempotency: IdempotencyStore;
  readonly metrics: Metrics;
  /** Present only when tracing is on: a server span per request. */
  readonly tracer?: Tracer;
  /** Keys of requests this instance is running for routes that keep their own answers (holds). */
  readonly running: Set<string>;
  /** When new writes are shed to keep reads fast (Admission.ts). */
  readonly admission: AdmissionPolicy;
}

const anonymous: Principal = { actor: 'system:anonymous', scopes: new Set() };
const IdempotencyKeyPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

const problemAnswer = (p: Problem, instance: string): Answer => ({
  status: ProblemTypes[p.type].status,
  body: problemBody(p, instance),
  headers: { 'content-type': 'application/problem+json', ...(p.retryAfter === undefined ? {} : { 'retry-after': String(p.retryAfter) }) },
});

const sendAnswer = (reply: FastifyReply, answer: Answer) => {
  const type = answer.headers?.['content-type'];
  return type === undefined ? send(reply, answer) : reply.code(answer.status).headers(answer.headers ?? {}).send(answer.body);
};

/**
 * Runs a route, with the idempotency protocol of DESIGN.md §6 for POSTs. Not async itself: a read with
 * an API key goes from the request to its handler without extra promise hops (refusals are thrown).
 */
const runRoute = (route: AnyRoute, deps: AppDeps, request: FastifyRequest): Promise<Answer> => {
  const principal = route.scope === null ? anonymous : authenticate(request, deps.verifiers, route.scope);
  if (principal instanceof Promise) return principal.then((p) => runAs(route, deps, request, p));
  return runAs(route, deps, request, principal);
};

const runAs = (route: AnyRoute, deps: AppDeps, request: FastifyRequest, principal: Principal): Promise<Answer> => {
  if (!route.idempotent) return route.run(request, principal, '', '');
  const key = idempotencyKeyOf(request);
  const fingerprint = fingerprintOf(route.method, request.url, request.body);
  return route.answersRetries === true ? runAnsweringItself(route, deps, request, principal, key, fingerprint) : runIdempotent(route, deps, request, principal, key, fingerprint);
};

const runAnsweringItself = async (route: AnyRoute, deps: AppDeps, request: FastifyRequest, principal: Principal, key: string, fingerprint: string): Promise<Answer> => {
  const running = deps.running;
  const mine = `${principal.actor}\n${key}`;
  if (running.has(mine)) throw new Problem({ type: 'idempotency-in-flight', detail: `the request with Idempotency-Key "${key}" is still being processed; retry shortly` });
  running.add(mine);
  try {
    const answer = await route.run(request, principal, key, fingerprint);
    if (answer.headers?.['idempotent-replayed'] === 'true') deps.metrics.idempotencyHits.inc();
    return answer;
  } finally {
    running.delete(mine);
  }
};

const idempotencyKeyOf = (request: FastifyRequest): string => {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) {
    throw new Problem({ type: 'idempotency-key-required', detail: 'send an Idempotency-Key header (e.g. a UUID); a retry with the same key is safe' });
  }
  if (!IdempotencyKeyPattern.test(key)) {
    throw new Problem({ type: 'invalid-request', detail: 'an Idempotency-Key is 1–128 characters of letters, digits, "_", ".", ":" or "-"' });
  }
  return key;
};

const runIdempotent = async (route: AnyRoute, deps: AppDeps, request: FastifyRequest, principal: Principal, key: string, fingerprint: string): Promise<Answer> => {
  const claim = await deps.idempotency.claim(principal.actor, key, fingerprint).catch((error: unknown) => {
    throw new Problem({
      type: 'service-unavailable',
      detail: `the idempotency records (NATS KV) are unavailable: ${error instanceof Error ? error.message : String(error)}`,
      retryAfter: 1,
    });
  });
  if (claim._tag === 'Replay') {
    deps.metrics.idempotencyHits.inc();
    return { status: claim.status, body: claim.body, headers: { ...claim.headers, 'idempotent-replayed': 'true' } };
  }
  if (claim._tag === 'InFlight') throw new Problem({ type: 'idempotency-in-flight', detail: `the request with Idempotency-Key "${key}" is still being processed; retry shortly` });
  if (claim._tag === 'Mismatch') throw new Problem({ type: 'idempotency-key-reused', detail: `Idempotency-Key "${key}" was used with a different request` });
  let answer: Answer;
  try {
    answer = await route.run(request, principal, key, fingerprint);
  } catch (error) {
    if (error instanceof Problem && ProblemTypes[error.type].status < 500) answer = problemAnswer(error, request.url);
    else {
      await deps.idempotency.release(principal.actor, key);
      throw error;
    }
  }
  // A 5xx is not an answer to keep: the retry must run again.
  if (answer.status >= 500) await deps.idempotency.release(principal.actor, key);
  else await deps.idempotency.complete(principal.actor, key, fingerprint, answer, claim.revision);
  return answer;
};

export const buildApp = (given: Omit<AppDeps, 'running'>, routes: ReadonlyArray<AnyRoute>) => {
  // This instance's own: a same-key twin on another instance reaches the same owner and record instead.
  const deps: AppDeps = { ...given, running: new Set() };
  const app = Fastify({
    loggerInstance: deps.log,
    // Per-request logs would cost more than the request itself; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request (pino serialises its bindings each time): request.log is the
    // server's logger, and the error handler names the request id itself.
    childLoggerFactory: (logger) => logger,
    bodyLimit: deps.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  });

  // JSON only: Fastify's text/plain parser would hand a string to the body decoder (400 instead of 415).
  app.removeContentTypeParser('text/plain');
  // CSV imports read their body as it streams, with their own size limit (Http/CsvUpload.ts).
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, new CsvUpload(payload)));

  const declareRoute = (scope: FastifyInstance, route: AnyRoute) => {
    const stats = deps.metrics.routes.route(route.url, route.method);
    scope.route({
      method: route.method,
      url: route.url,
      ...(route.rawBody === undefined ? {} : { bodyLimit: route.rawBody.limitBytes }),
      handler: async (request, reply) => {
        const started = performance.now();
        let status = 500;
        const span = deps.tracer === undefined ? undefined : startServerSpan(deps.tracer, route, request);
        try {
          const answer = await (span === undefined ? runRoute(route, deps, request) : span.run(() => runRoute(route, deps, request)));
          status = answer.status;
          return sendAnswer(reply, answer);
        } catch (error) {
          status = error instanceof Problem ? ProblemTypes[error.type].status : 500;
          throw error;
        } finally {
          stats.record(status, (performance.now() - started) / 1000);
          span?.end(status);
        }
      },
    });
  };
  // A route that reads its body's bytes (a signed webhook) gets a context of its own, whose only parser
  // keeps a JSON body as received (Http/RawJson.ts): every other route keeps Fastify's JSON parser.
  const declare = (scope: FastifyInstance, route: AnyRoute) => {
    if (route.rawBody === undefined) return declareRoute(scope, route);
    void scope.register((own, _options, done) => {
      own.removeAllContentTypeParsers();
      own.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, parsed) =>
        parsed(null, new RawJson(typeof body === 'string' ? Buffer.from(body) : body)),
      );
      declareRoute(own, route);
      done();
    });
  };

  // Admission control (ADR 0013) in a context of its own holding only the routes it may shed: its
  // onRequest hook costs every request it sees, and reads never see it. The routes are declared in a
  // plugin nested after it, so the hook is in place when they are.
  const admission = admissionOptions(deps.admission, (route) => deps.metrics.shed.inc({ route }));
  const shed = routes.filter((r) => admission !== null && sheddable(r.method, r.url));
  const kept = routes.filter((r) => !shed.includes(r));
  void app.register((scope, _options, done) => {
    if (admission !== null) void scope.register(underPressure, admission);
    void scope.register((inner, _innerOptions, innerDone) => {
      shed.forEach((route) => declare(inner, route));
      innerDone();
    });
    done();
  });
  void app.register((scope, _options, done) => {
    kept.forEach((route) => declare(scope, route));
    done();
  });

  app.setNotFoundHandler((request, reply) =>
    sendAnswer(reply, problemAnswer(new Problem({ type: 'not-found', detail: `no route ${request.method} ${request.url}` }), request.url)),
  );

  app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
    if (error instanceof Problem) return sendAnswer(reply, problemAnswer(error, request.url));
    const problem = fastifyProblem(error);
    if (problem !== undefined) return sendAnswer(reply, problemAnswer(problem, request.url));
    request.log.error({ err: error, reqId: request.id, url: request.url, method: request.method }, 'unhandled error answering a request');
    return sendAnswer(reply, problemAnswer(new Problem({ type: 'internal', detail: 'an internal error occurred; it has been logged' }), request.url));
  });
  return app;
};

/** Fastify's own refusals (body parsing and size), as problems. */
const fastifyProblem = (error: FastifyError): Problem | undefined => {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem({ type: 'payload-too-large', detail: error.message });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem({ type: 'unsupported-media-type', detail: 'send the body as application/json' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem({ type: 'invalid-request', detail: error.message });
    default:
      return error.statusCode === 400 ? new Problem({ type: 'invalid-request', detail: `the body is not valid JSON: ${error.message}` }) : undefined;
  }
};
