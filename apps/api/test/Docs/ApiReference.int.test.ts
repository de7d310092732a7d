// The documentation pages of a real API instance, without credentials: /docs is Swagger UI whose every
// script and style answers from this server (no CDN) and whose initializer loads the very document
// /docs/openapi.json answers, with the x-api-key scheme for "Authorize"; /docs/events is the AsyncAPI
// viewer, its bundle and styles served from @asyncapi/react-component, and the document it renders
// (docs/asyncapi.yaml) answers as YAML and JSON. A real browser is not part of this test.
import { readFileSync } from 'node:fs';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decodeBody } from '../Support/Bodies.js';
import type { HttpAnswer } from '../Support/HttpClient.js';
import { makeSystemFixture, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => f?.cleanup());

const open = (path: string) => f.api.get(path, { key: null });

/** The page's script sources and stylesheet links, as written. */
const referencesOf = (html: string) => ({
  scripts: [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? ''),
  styles: [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1] ?? ''),
});

/** A reference of the page at `pagePath`, as an absolute path on this server. */
const onServer = (pagePath: string, reference: string) => new URL(reference, `http://larder.test${pagePath}`).pathname;

const expectHtml = (answer: HttpAnswer) => {
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/^text\/html/);
};

/** Every script and stylesheet of the page answers 200 with a JS or CSS content type, from this server. */
const expectAssetsServed = async (pagePath: string, html: string) => {
  const { scripts, styles } = referencesOf(html);
  expect(scripts.length).toBeGreaterThan(0);
  expect(styles.length).toBeGreaterThan(0);
  for (const reference of [...scripts, ...styles]) expect(reference, 'no CDN: the page must work offline').not.toMatch(/^(https?:)?\/\//);
  for (const script of scripts) {
    const answer = await open(onServer(pagePath, script));
    expect(answer.status, script).toBe(200);
    expect(answer.contentType, script).toMatch(/^(application|text)\/javascript/);
    expect(answer.text.length, script).toBeGreaterThan(0);
  }
  for (const style of styles) {
    const answer = await open(onServer(pagePath, style));
    expect(answer.status, style).toBe(200);
    expect(answer.contentType, style).toMatch(/^text\/css/);
    expect(answer.text.length, style).toBeGreaterThan(0);
  }
};

const SecurityScheme = Schema.Struct({ type: Schema.String, in: Schema.optional(Schema.String), name: Schema.optional(Schema.String) });
const OpenApiDocument = Schema.Struct({
  openapi: Schema.String,
  paths: Schema.Record({ key: Schema.String, value: Schema.Record({ key: Schema.String, value: Schema.Struct({ security: Schema.optional(Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown }))) }) }) }),
  components: Schema.Struct({ securitySchemes: Schema.Record({ key: Schema.String, value: SecurityScheme }) }),
});

describe('GET /docs: the interactive API reference', () => {
  it.each(['/docs', '/docs/'])('%s answers Swagger UI’s page without credentials', async (path) => {
    const answer = await open(path);
    expectHtml(answer);
    expect(answer.text).toContain('<title>Larder sales API reference</title>');
    expect(answer.text).toMatch(/<html lang="en">/);
    const { scripts, styles } = referencesOf(answer.text);
    expect(scripts.map((s) => s.split('/').pop())).toEqual(expect.arrayContaining(['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-initializer.js']));
    expect(styles.map((s) => s.split('/').pop())).toContain('swagger-ui.css');
    await expectAssetsServed(path, answer.text);
  });

  it('the initializer loads ./json, which is the document /docs/openapi.json answers', async () => {
    const initializer = await open('/docs/static/swagger-initializer.js');
    expect(initializer.status).toBe(200);
    expect(initializer.text).toContain("url: resolveUrl('./json')");
    // No online validator: nothing leaves this server.
    expect(initializer.text).toContain('validatorUrl: null');
    const served = await open('/docs/json');
    expect(served.status).toBe(200);
    const canonical = await open('/docs/openapi.json');
    expect(canonical.status).toBe(200);
    expect(canonical.contentType).toMatch(/^application\/json/);
    expect(served.body).toEqual(canonical.body);
  });

  it('the document declares the x-api-key scheme, and credentialed operations use it, so "Authorize" and "Try it out" send the key', async () => {
    const doc = decodeBody(OpenApiDocument, await open('/docs/openapi.json'));
    expect(doc.components.securitySchemes['apiKey']).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    const stockRead = doc.paths['/v1/stock/{sku}']?.['get'];
    expect(stockRead?.security?.some((requirement) => 'apiKey' in requirement)).toBe(true);
  });

  it('a missing asset is a 404 problem+json', async () => {
    const answer = await open('/docs/static/no-such-file.js');
    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
  });
});

const committedAsyncApi = readFileSync(new URL('../../../../docs/asyncapi.yaml', import.meta.url), 'utf8');

describe('GET /docs/events: the AsyncAPI viewer', () => {
  it.each(['/docs/events', '/docs/events/'])('%s answers our page, linking back to /docs and to /console', async (path) => {
    const answer = await open(path);
    expectHtml(answer);
    expect(answer.text).toMatch(/<html lang="en">/);
    expect(answer.text).toMatch(/<title>[^<]*AsyncAPI[^<]*<\/title>/);
    expect(answer.text).toContain('href="/docs"');
    expect(answer.text).toContain('href="/console"');
    await expectAssetsServed(path, answer.text);
  });

  it('serves @asyncapi/react-component’s standalone bundle and styles, and renders /docs/asyncapi.json with it', async () => {
    const { scripts, styles } = referencesOf((await open('/docs/events')).text);
    const bundle = await open(scripts[0] ?? '');
    expect(bundle.text).toContain('AsyncApiStandalone');
    expect((await open(styles[0] ?? '')).text.length).toBeGreaterThan(10_000);
    const init = await open(scripts[1] ?? '');
    expect(init.text).toContain('AsyncApiStandalone.render');
    expect(init.text).toContain('"/docs/asyncapi.json"');
  });

  it('GET /docs/asyncapi.yaml answers docs/asyncapi.yaml as committed, an AsyncAPI 3 document', async () => {
    const answer = await open('/docs/asyncapi.yaml');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/yaml/);
    expect(answer.text).toBe(committedAsyncApi);
    expect(parse(answer.text)).toMatchObject({ asyncapi: expect.stringMatching(/^3\./), channels: expect.any(Object) });
  });

  it('GET /docs/asyncapi.json answers the same document as JSON', async () => {
    const answer = await open('/docs/asyncapi.json');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual(parse(committedAsyncApi));
  });
});
