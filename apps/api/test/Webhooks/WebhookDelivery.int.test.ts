// Webhook delivery against real HTTP receivers, a real runner and the API's own dispatcher (ADR 0015):
// signatures verify with `standardwebhooks`, a failing receiver gets the event once it answers 2xx,
// a spent retry budget dead-letters the delivery and a replay delivers it once, and a dead endpoint
// does not hold up a healthy one. A short retry schedule makes the 27-hour budget last about a second.
import { randomUUID } from 'node:crypto';
import { Schema } from 'effect';
import { Webhook } from 'standardwebhooks';
import { makeNames, Namespace, Shards } from '@larder/messaging';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../Support/WebhookReceiver.js';

const Created = Schema.Struct({ id: Schema.String, secret: Schema.String, events: Schema.Array(Schema.String) });
const Payload = Schema.Struct({
  type: Schema.String,
  timestamp: Schema.String,
  data: Schema.Struct({ sku: Schema.String, version: Schema.Int, seq: Schema.Int, onHand: Schema.Int, kind: Schema.String }),
});
const LogItems = Schema.Struct({
  items: Schema.Array(Schema.Struct({ webhookId: Schema.String, attempt: Schema.Int, outcome: Schema.String, status: Schema.optional(Schema.Int), error: Schema.optional(Schema.String), durationMs: Schema.Int, at: Schema.String })),
});
const DeadLetterItems = Schema.Struct({
  items: Schema.Array(Schema.Struct({ attempts: Schema.Int, lastStatus: Schema.optional(Schema.Int), reason: Schema.String, delivery: Schema.Struct({ webhookId: Schema.String }) })),
});
const Replayed = Schema.Struct({ replayed: Schema.Int });

const TimeoutMs = 400;
const Schedule = [0, 150, 150, 150];

let f: SystemFixture;
const receivers: Array<WebhookReceiver> = [];
beforeAll(async () => {
  f = await makeSystemFixture({
    apiOverrides: { LARDER_WEBHOOK_RETRY_SCHEDULE_MS: Schedule.join(','), LARDER_WEBHOOK_TIMEOUT_MS: String(TimeoutMs) },
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
  await f?.cleanup();
});

const receiver = async () => {
  const r = await startWebhookReceiver();
  receivers.push(r);
  return r;
};

/** Registers an endpoint for `stock.v1.changed`; its secret. */
const register = async (url: string) => {
  const id = `shop-${randomUUID().slice(0, 8)}`;
  const answer = await f.api.put(`/v1/webhooks/${id}`, { url, events: ['stock.v1.changed'] });
  expect(answer.status).toBe(201);
  return { id, secret: decodeBody(Created, answer).secret };
};

const payloadOf = (r: ReceivedRequest) => Schema.decodeUnknownSync(Schema.parseJson(Payload))(r.body);
const forSku = (sku: string) => (r: ReceivedRequest) => payloadOf(r).data.sku === sku;
const settle = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('a receiver that fails, then times out, then answers 200', () => {
  it('gets the event, signed, with the same webhook-id on every attempt, and exactly once delivered', async () => {
    const shop = await receiver();
    shop.script([500, 'hang'], 200);
    const { id, secret } = await register(shop.url);
    const sku = uniqueSku('hook');
    const seeded = await f.seedStock(sku, 5);

    const got = (await shop.waitFor((all) => all.some((r) => r.answer === 200 && forSku(sku)(r)))).filter(forSku(sku));
    await settle(600);
    const all = shop.received.filter(forSku(sku));
    expect(all.map((r) => r.answer)).toEqual([500, 'hang', 200]);
    expect(new Set(all.map((r) => r.headers['webhook-id'])).size).toBe(1);

    const delivered = got[got.length - 1];
    if (delivered === undefined) throw new Error('nothing delivered');
    // The receiver's check, exactly as docs/shop-connection.md shows it.
    expect(() => new Webhook(secret).verify(delivered.body, delivered.headers)).not.toThrow();
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(delivered.body, delivered.headers)).toThrow();
    const payload = payloadOf(delivered);
    expect(payload.type).toBe('stock.v1.changed');
    expect(payload.data).toMatchObject({ sku, kind: 'changed', onHand: 5, version: seeded.version, seq: seeded.version });

    const log = decodeBody(LogItems, await f.api.get(`/v1/webhooks/${id}/deliveries`));
    const mine = log.items.filter((e) => e.webhookId === delivered.headers['webhook-id']).reverse();
    expect(mine.map((e) => [e.attempt, e.outcome, e.status])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', undefined],
      [3, 'delivered', 200],
    ]);
    expect(mine[1]?.error).toContain(`no answer within ${TimeoutMs} ms`);
    await f.api.raw({ method: 'DELETE', path: `/v1/webhooks/${id}` });
  });
});

describe('a receiver that never answers 2xx', () => {
  it('has the delivery dead-lettered after the schedule, and a replay delivers it exactly once', async () => {
    const shop = await receiver();
    shop.script([], 503);
    const { id, secret } = await register(shop.url);
    const sku = uniqueSku('dead');
    await f.seedStock(sku, 3);

    await shop.waitFor((all) => all.filter(forSku(sku)).length >= Schedule.length);
    const letters = await waitForDeadLetters(id, 1);
    expect(letters.items[0]).toMatchObject({ attempts: Schedule.length, lastStatus: 503 });
    await settle(500);
    expect(shop.received.filter(forSku(sku))).toHaveLength(Schedule.length);

    shop.script([], 200);
    const replay = await f.api.post(`/v1/webhooks/${id}/dead-letters/replay`, {});
    expect(decodeBody(Replayed, replay)).toEqual({ replayed: 1 });
    await shop.waitFor((all) => all.some((r) => r.answer === 200 && forSku(sku)(r)));
    await settle(600);
    const successes = shop.received.filter((r) => r.answer === 200 && forSku(sku)(r));
    expect(successes).toHaveLength(1);
    const success = successes[0];
    if (success === undefined) throw new Error('no success');
    expect(success.headers['webhook-id']).toBe(letters.items[0]?.delivery.webhookId);
    expect(() => new Webhook(secret).verify(success.body, success.headers)).not.toThrow();
    expect(decodeBody(DeadLetterItems, await f.api.get(`/v1/webhooks/${id}/dead-letters`)).items).toEqual([]);
    // Nothing left to replay: a second replay sends nothing.
    expect(decodeBody(Replayed, await f.api.post(`/v1/webhooks/${id}/dead-letters/replay`, {}))).toEqual({ replayed: 0 });
    await f.api.raw({ method: 'DELETE', path: `/v1/webhooks/${id}` });
  });
});

const waitForDeadLetters = async (id: string, count: number) => {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    const answer = await f.api.get(`/v1/webhooks/${id}/dead-letters`);
    if (answer.status === 200) {
      const letters = decodeBody(DeadLetterItems, answer);
      if (letters.items.length >= count) return letters;
    }
    last = answer.text;
    await settle(50);
  }
  throw new Error(`webhook ${id} never had ${count} dead letter(s): ${last}`);
};

describe('a dead endpoint beside a healthy one', () => {
  it('does not delay the healthy one: each event reaches it well within one timeout of the dead one', async () => {
    const dead = await receiver();
    dead.script([], 'hang');
    const healthy = await receiver();
    const deadHook = await register(dead.url);
    const healthyHook = await register(healthy.url);
    const skus = Array.from({ length: 12 }, (_, i) => uniqueSku(`pair${i}`));
    const seededAt = new Map<string, number>();
    for (const sku of skus) {
      seededAt.set(sku, Date.now());
      await f.seedStock(sku, 2);
    }
    const got = await healthy.waitFor((all) => skus.every((sku) => all.some(forSku(sku))));
    for (const sku of skus) {
      const first = got.find(forSku(sku));
      const started = seededAt.get(sku) ?? 0;
      // seedStock waits for the projection too; a delivery stuck behind the dead endpoint would take ≥ TimeoutMs more.
      expect((first?.at ?? Infinity) - started).toBeLessThan(TimeoutMs * 3);
    }
    expect(dead.received.length).toBeGreaterThan(0);
    await f.api.raw({ method: 'DELETE', path: `/v1/webhooks/${deadHook.id}` });
    await f.api.raw({ method: 'DELETE', path: `/v1/webhooks/${healthyHook.id}` });
  });
});

describe('an endpoint whose consumer an operator deleted', () => {
  it('gets its consumer back from the dispatcher, and the events after that', async () => {
    const shop = await receiver();
    shop.script([], 200);
    const { id } = await register(shop.url);
    const first = uniqueSku('repair-a');
    await f.seedStock(first, 1);
    await shop.waitFor((all) => all.some(forSku(first)));

    const names = makeNames(Namespace.make(f.serviceEnv['LARDER_NAMESPACE'] ?? ''), { shards: Shards.make(Number(f.serviceEnv['LARDER_SHARDS'] ?? 4)) });
    const nc = await connect({ servers: f.serviceEnv['NATS_URL'] ?? '' });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.consumers.delete(names.stock.stream, names.webhooks.durable(id));
      // The loop notices within its retry (about a second) and recreates it; then new events flow again.
      const deadline = Date.now() + 15_000;
      let back = false;
      while (!back && Date.now() < deadline) {
        back = await jsm.consumers.info(names.stock.stream, names.webhooks.durable(id)).then(() => true, () => false);
        if (!back) await settle(200);
      }
      expect(back).toBe(true);
    } finally {
      await nc.close();
    }
    const second = uniqueSku('repair-b');
    await f.seedStock(second, 2);
    const got = await shop.waitFor((all) => all.some(forSku(second)));
    expect(got.filter(forSku(second)).map((r) => payloadOf(r).data.onHand)).toEqual([2]);
    await f.api.raw({ method: 'DELETE', path: `/v1/webhooks/${id}` });
  }, 60_000);
});
