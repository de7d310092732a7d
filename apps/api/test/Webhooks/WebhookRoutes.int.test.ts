// The webhook routes over real HTTP (DESIGN.md §10): bad bodies are 400 problem+json naming the valid
// event types, secrets are shown once, admin only; and the API restarted while a delivery waits for
// its retry loses nothing — the delivery state is JetStream's, not the process's.
import { randomUUID } from 'node:crypto';
import { Schema } from 'effect';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';
import { startWebhookReceiver, type WebhookReceiver } from '../Support/WebhookReceiver.js';

const Shown = Schema.Struct({ id: Schema.String, url: Schema.String, events: Schema.Array(Schema.String), secretHint: Schema.String });
const Created = Schema.extend(Shown, Schema.Struct({ secret: Schema.String }));
const Listed = Schema.Struct({ items: Schema.Array(Shown) });
const BadEvents = Schema.Struct({ validEvents: Schema.Array(Schema.String), unknownEvents: Schema.Array(Schema.String) });
const PayloadSku = Schema.parseJson(Schema.Struct({ data: Schema.Struct({ sku: Schema.String }) }));

let f: SystemFixture;
let shop: WebhookReceiver;
beforeAll(async () => {
  f = await makeSystemFixture({ apiOverrides: { LARDER_WEBHOOK_RETRY_SCHEDULE_MS: '0,300,300,300,300,300', LARDER_WEBHOOK_TIMEOUT_MS: '1000' } });
  shop = await startWebhookReceiver();
}, 60_000);
afterAll(async () => {
  await shop?.stop();
  await f?.cleanup();
});

const hookId = () => `shop-${randomUUID().slice(0, 8)}`;

describe('PUT /v1/webhooks/{id}', () => {
  it('creates (201, the generated secret shown once), updates (200, no secret) and never lists a secret', async () => {
    const id = hookId();
    const created = await f.api.put(`/v1/webhooks/${id}`, { url: shop.url, events: ['stock.v1.low', 'stock.v1.out'] });
    expect(created.status).toBe(201);
    const { secret } = decodeBody(Created, created);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(() => new Webhook(secret)).not.toThrow();

    const updated = await f.api.put(`/v1/webhooks/${id}`, { url: shop.url, events: ['stock.v1.drop.soldout'] });
    expect(updated.status).toBe(200);
    expect(updated.text).not.toContain(secret);
    expect(decodeBody(Shown, updated).events).toEqual(['stock.v1.drop.soldout']);
    const listed = await f.api.get('/v1/webhooks');
    expect(decodeBody(Listed, listed).items.map((w) => w.id)).toContain(id);
    expect(listed.text).not.toContain(secret);
    expect((await f.api.get(`/v1/webhooks/${id}`)).text).not.toContain(secret);

    expect((await f.api.raw({ method: 'DELETE', path: `/v1/webhooks/${id}` })).status).toBe(204);
    expect(problemOf(await f.api.get(`/v1/webhooks/${id}`))).toEqual(problem(404, 'not-found'));
    expect(problemOf(await f.api.raw({ method: 'DELETE', path: `/v1/webhooks/${id}` }))).toEqual(problem(404, 'not-found'));
  });

  it('keeps a secret the caller chose', async () => {
    const id = hookId();
    const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const created = await f.api.put(`/v1/webhooks/${id}`, { url: shop.url, events: ['stock.v1.changed'], secret });
    expect(decodeBody(Created, created).secret).toBe(secret);
    await f.api.raw({ method: 'DELETE', path: `/v1/webhooks/${id}` });
  });

  it('refuses unknown event types with a 400 listing the valid ones', async () => {
    const answer = await f.api.put(`/v1/webhooks/${hookId()}`, { url: shop.url, events: ['stock.v1.changed', 'stock.v2.changed', 'orders.created'] });
    expect(problemOf(answer)).toEqual(problem(400, 'invalid-request'));
    const body = decodeBody(BadEvents, answer);
    expect(body.unknownEvents).toEqual(['stock.v2.changed', 'orders.created']);
    expect(body.validEvents).toEqual(expect.arrayContaining(['stock.v1.changed', 'stock.v1.low', 'stock.v1.out', 'stock.v1.back', 'stock.v1.shortfall', 'stock.v1.drop.opened', 'stock.v1.drop.soldout', 'stock.v1.drop.closed']));
  });

  it.each([
    ['no url', { events: ['stock.v1.changed'] }],
    ['a url that is not http(s)', { url: 'ftp://shop.example/hook', events: ['stock.v1.changed'] }],
    ['a relative url', { url: '/hook', events: ['stock.v1.changed'] }],
    ['a url with a user name and password', { url: 'https://shop:hunter2@shop.example/hook', events: ['stock.v1.changed'] }],
    ['no events', { url: 'https://shop.example/hook', events: [] }],
    ['events not a list', { url: 'https://shop.example/hook', events: 'stock.v1.changed' }],
    ['a secret without whsec_', { url: 'https://shop.example/hook', events: ['stock.v1.changed'], secret: 'hunter2hunter2hunter2hunter2hunter2hunter2' }],
    ['an unknown field', { url: 'https://shop.example/hook', events: ['stock.v1.changed'], retries: 3 }],
  ])('refuses %s with 400 problem+json', async (_, body) => {
    expect(problemOf(await f.api.put(`/v1/webhooks/${hookId()}`, body))).toEqual(problem(400, 'invalid-request'));
  });

  it('refuses an id that cannot name a consumer, and a caller without the admin scope', async () => {
    expect(problemOf(await f.api.put('/v1/webhooks/has.dots', { url: shop.url, events: ['stock.v1.changed'] }))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.put(`/v1/webhooks/${hookId()}`, { url: shop.url, events: ['stock.v1.changed'] }, { key: f.keys.write }))).toEqual(
      problem(403, 'forbidden'),
    );
    expect(problemOf(await f.api.get('/v1/webhooks', { key: f.keys.read }))).toEqual(problem(403, 'forbidden'));
  });
});

describe('an API restart while a delivery waits for its retry', () => {
  it('loses nothing: the delivery arrives from the instance started after', async () => {
    const id = hookId();
    const created = await f.api.put(`/v1/webhooks/${id}`, { url: shop.url, events: ['stock.v1.changed'] });
    const { secret } = decodeBody(Created, created);
    shop.script([], 500);
    const sku = uniqueSku('restart');
    const isMine = (body: string) => Schema.decodeUnknownSync(PayloadSku)(body).data.sku === sku;
    await f.seedStock(sku, 4);
    await shop.waitFor((all) => all.some((r) => isMine(r.body)));
    // The only API instance goes away with the delivery nak'ed for a retry; the receiver then recovers.
    await f.api.stop();
    const failedBefore = shop.received.filter((r) => isMine(r.body));
    const stoppedAt = Date.now();
    shop.script([], 200);
    const next = await f.startApiInstance();
    const got = await shop.waitFor((all) => all.some((r) => r.answer === 200 && isMine(r.body)));
    const delivered = got.filter((r) => r.answer === 200 && isMine(r.body));
    expect(delivered).toHaveLength(1);
    const first = delivered[0];
    if (first === undefined) throw new Error('nothing delivered');
    // The same delivery the stopped instance had failed (not a new event), delivered by the new instance.
    expect(new Set(failedBefore.map((r) => r.headers['webhook-id']))).toStrictEqual(new Set([first.headers['webhook-id']]));
    expect(first.at).toBeGreaterThanOrEqual(stoppedAt);
    expect(() => new Webhook(secret).verify(first.body, first.headers)).not.toThrow();
    await next.raw({ method: 'DELETE', path: `/v1/webhooks/${id}` });
  });
});
