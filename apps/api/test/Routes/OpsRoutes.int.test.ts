// Operations routes over real HTTP: liveness, readiness, Prometheus metrics and the OpenAPI document
// answer without credentials; the document lists every route of DESIGN.md §6 with its credentials,
// Idempotency-Key and problem+json refusals; an unknown route is a 404 problem+json.
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => f?.cleanup());

const Readiness = Schema.Struct({ status: Schema.Literal('ready'), checks: Schema.Record({ key: Schema.String, value: Schema.Literal(true) }) });

describe('without credentials', () => {
  it('GET /healthz answers 200', async () => {
    const answer = await f.api.get('/healthz', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 with every check true once NATS and the projection are there (Redis is not a dependency of the API)', async () => {
    const answer = await f.api.get('/readyz', { key: null });
    expect(answer.status).toBe(200);
    expect(Schema.is(Readiness)(answer.body)).toBe(true);
    expect(answer.body).toEqual({ status: 'ready', checks: { nats: true, stockProjection: true } });
  });

  it('GET /metrics answers the Prometheus text format with larder_ metrics', async () => {
    await f.api.get('/v1/stock/NO-SUCH-SKU');
    const answer = await f.api.get('/metrics', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/plain/);
    expect(answer.text).toMatch(/^# HELP larder_/m);
    expect(answer.text).toMatch(/^# TYPE larder_\w+_total counter$/m);
  });
});

describe('an unknown route', () => {
  it('is a 404 problem+json', async () => {
    const answer = await f.api.get('/v1/nothing-here');
    expect(problemOf(answer)).toEqual(problem(404, 'not-found'));
  });

  it('is a 404 problem+json for a POST too, with or without credentials', async () => {
    expect(problemOf(await f.api.post('/v2/stock', {}))).toEqual(problem(404, 'not-found'));
    expect(problemOf(await f.api.get('/nothing', { key: null }))).toEqual(problem(404, 'not-found'));
  });
});

const Operation = Schema.Struct({
  parameters: Schema.optional(Schema.Array(Schema.Struct({ name: Schema.String, in: Schema.String, required: Schema.optional(Schema.Boolean) }))),
  security: Schema.optional(Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) }))),
  responses: Schema.Record({ key: Schema.String, value: Schema.Struct({ content: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })) }) }),
});
const Document = Schema.Struct({
  openapi: Schema.String,
  paths: Schema.Record({ key: Schema.String, value: Schema.Record({ key: Schema.String, value: Operation }) }),
});

// DESIGN.md §6, path parameters written `{}` so their names do not matter.
const contract = [
  'get /v1/stock/{}',
  'get /v1/stock',
  'post /v1/reservations',
  'get /v1/reservations/{}',
  'post /v1/reservations/{}/commit',
  'post /v1/reservations/{}/release',
  'post /v1/orders',
  'put /v1/skus/{}',
  'post /v1/restocks',
  'post /v1/adjustments',
  'post /v1/returns',
  'get /v1/skus/{}/ledger',
  'get /v1/recalls/trace',
  'get /v1/recalls/drills',
  'get /healthz',
  'get /readyz',
  'get /metrics',
];

const operations = async () => {
  const doc = decodeBody(Document, await f.api.get('/docs/openapi.json', { key: null }));
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ route: `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`, op })),
  );
};

describe('GET /docs/openapi.json', () => {
  it('is OpenAPI 3.1', async () => {
    expect(decodeBody(Document, await f.api.get('/docs/openapi.json', { key: null })).openapi).toMatch(/^3\.1\./);
  });

  it.each(contract)('lists %s', async (route) => {
    expect((await operations()).map((o) => o.route)).toContain(route);
  });

  it('every /v1 operation requires credentials; every POST requires an Idempotency-Key header', async () => {
    for (const { route, op } of await operations()) {
      if (!route.includes(' /v1/')) continue;
      // A webhook from a poll tool is signed instead (docs/demand-signals.md): no key, no Idempotency-Key.
      if (op.parameters?.some((p) => p.in === 'header' && p.name === 'x-larder-signature' && p.required === true) === true) continue;
      expect(op.security?.length ?? 0, route).toBeGreaterThan(0);
      const idempotencyKey = op.parameters?.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
      if (route.startsWith('post ')) expect(idempotencyKey?.required, route).toBe(true);
    }
  });

  it('every documented refusal is application/problem+json', async () => {
    for (const { route, op } of await operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect(Object.keys(response.content ?? {}), `${route} ${status}`).toEqual(['application/problem+json']);
      }
    }
  });
});
