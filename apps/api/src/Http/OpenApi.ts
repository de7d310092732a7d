// The OpenAPI 3.1 document, generated from the same route declarations and Effect schemas that
// validate requests, so the documentation cannot drift from the code.
import { JSONSchema } from 'effect';
import { problemUriPrefix, ProblemTypes } from './Problems.js';
import { NoBody, type AnyRoute, type AnySchema } from './Route.js';

type Json = Record<string, unknown>;

export const buildOpenApi = (routes: ReadonlyArray<AnyRoute>, info: { readonly title: string; readonly version: string }) => {
  const definitions: Record<string, JSONSchema.JsonSchema7> = {};
  const schemaOf = (schema: AnySchema) =>
    JSONSchema.fromAST(schema.ast, { definitions, definitionPath: '#/components/schemas/', target: 'openApi3.1' });
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = schemaOf(route.params);
    const query = schemaOf(route.query);
    const parameters = [
      ...Object.entries('properties' in params ? params.properties : {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries('properties' in query ? query.properties : {}).map(([name, schema]) => ({ name, in: 'query', schema })),
      ...Object.entries(route.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: true, description: h.description, schema: { type: 'string', pattern: h.pattern } })),
      ...(route.idempotent
        ? [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } }]
        : []),
    ];
    const responses: Record<string, Json> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      const isProblem = Number(status) >= 400;
      responses[status] = {
        description: response.description,
        ...(response.schema === undefined && !isProblem
          ? {}
          : {
              content: isProblem
                ? { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
                : { 'application/json': { schema: response.schema === undefined ? {} : schemaOf(response.schema) } },
            }),
      };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      parameters,
      ...(route.method === 'GET' || route.body === NoBody ? {} : { requestBody: { required: true, content: { [route.bodyMediaType ?? 'application/json']: { schema: schemaOf(route.rawBody?.documented ?? route.body) } } } }),
      responses,
      ...(route.scope === null ? { security: [] } : { security: [{ apiKey: [] }, { bearer: typeof route.scope === 'string' ? [route.scope] : [...route.scope] }] }),
      ...(route.scope === null ? {} : { 'x-required-scope': route.scope }),
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: {
        ...definitions,
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string', enum: Object.keys(ProblemTypes).map((t) => `${problemUriPrefix}${t}`) },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
          },
        },
      },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
};
