// Notify-me over real HTTP, NATS and Postgres (DESIGN.md §10 "Demand", docs/demand-signals.md): a request
// is kept once per customer while it waits (200 with the same request on a repeat, one row under
// concurrent POSTs), unknown channels and SKUs are refused; a customer takes a waiting request back (a
// DELETE; notified ones stay), and is then told nothing; back-in-stock events published on STOCK, as
// a runner would, wake the requests of their scope — SKU, channel, none for a location — which are
// published on `stock.v1.notify.<sku>` in batches of 500 and marked notified, once (a redelivered back
// event finds what it claimed); a webhook on `stock.v1.notify` gets them signed; the restock suggestions
// count the waiting. The SKUs have a catalogue entry and no stock: the runner never announces them.
import { ChannelId, EpochMillis, LocationId, Sku } from '@larder/domain';
import { decodeNotifyPublicEvent, encodeStockPublicEvent, type NotifyPublicEvent, type StockPublicEvent } from '@larder/messaging';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/transport-node';
import { makeOrmConfig } from '@larder/persistence';
import { MikroORM } from '@mikro-orm/postgresql';
import { Either, Schema } from 'effect';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestockSuggestionsAnswer } from '../../src/Demand/RestockSuggestions.js';
import { makeNotifyRequestStore } from '../../src/Notify/NotifyRequestStore.js';
import { NotifyRequestAnswer, NotifyRequestCounts } from '../../src/Routes/NotifyRoutes.js';
import { decodeBody, problem, ProblemBody, problemOf } from '../Support/Bodies.js';
import { mapWithLimit } from '../Support/MapWithLimit.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';
import { startWebhookReceiver } from '../Support/WebhookReceiver.js';

let f: SystemFixture;
let js: JetStreamClient;
let jsm: JetStreamManager;
/** The API's Postgres schema, to claim as the notifier does. */
let orm: MikroORM;
beforeAll(async () => {
  f = await makeSystemFixture();
  js = jetstream(f.nc);
  jsm = await jetstreamManager(f.nc);
  const { DATABASE_URL: url, LARDER_DB_SCHEMA: schema } = f.serviceEnv;
  if (url === undefined || schema === undefined) throw new Error('the fixture names no Postgres URL or schema');
  orm = await MikroORM.init(makeOrmConfig({ url, schema }));
  const channel = await f.api.put('/v1/channels/retail', { name: 'Retail', minShelfLifeDays: 30, handlingDays: 2 }, { key: f.keys.write });
  expect(channel.status, channel.text).toBe(201);
});
afterAll(async () => {
  await orm?.close(true);
  await f?.cleanup();
});

/** A SKU with a catalogue entry (so it is known) and no stock. */
const catalogued = async (label: string) => {
  const sku = uniqueSku(label);
  const put = await f.api.put(`/v1/skus/${sku}`, { name: `${label} jerky` }, { key: f.keys.write });
  expect(put.status, put.text).toBe(201);
  return sku;
};

const ask = (sku: string, body: unknown, idempotencyKey?: string) => f.api.post(`/v1/skus/${sku}/notify-requests`, body, { key: f.keys.reserve, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
const asked = async (sku: string, body: unknown, status = 201) => {
  const answer = await ask(sku, body);
  expect(answer.status, answer.text).toBe(status);
  return decodeBody(NotifyRequestAnswer, answer);
};
/** Takes back the customer's waiting request (`channel` as `?channel=`); DELETEs carry no Idempotency-Key. */
const cancel = (sku: string, customerId: string, channel?: string, key = f.keys.reserve) =>
  f.api.raw({ method: 'DELETE', path: `/v1/skus/${sku}/notify-requests/${customerId}${channel === undefined ? '' : `?channel=${channel}`}`, key });
const counts = async (sku: string) => {
  const answer = await f.api.get(`/v1/skus/${sku}/notify-requests`, { key: f.keys.read });
  expect(answer.status, answer.text).toBe(200);
  return decodeBody(NotifyRequestCounts, answer);
};

let journalSeq = 1_000;
const backEvent = (sku: string, scope: Partial<Pick<StockPublicEvent, 'scope' | 'location' | 'channel'>>): StockPublicEvent => ({
  v: 1,
  kind: 'back',
  sku: Sku.make(sku),
  ...scope,
  onHand: 12,
  reserved: 0,
  available: 12,
  safetyStock: 0,
  seq: ++journalSeq,
  at: EpochMillis.make(Date.now()),
});

/** Publishes a back event into STOCK as a runner does; its STOCK sequence and whether JetStream dropped it as a duplicate. */
const publishBack = async (event: StockPublicEvent, msgID: string) => {
  const ack = await js.publish(f.names.stock.subject('back', event.sku), encodeStockPublicEvent(event), { msgID });
  return { seq: ack.seq, duplicate: ack.duplicate };
};

/** Waits until the notifier acked every back event up to STOCK sequence `seq`. */
const handled = async (seq: number) => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const info = await jsm.consumers.info(f.names.stock.stream, f.names.notify.durable);
    if (info.ack_floor.stream_seq >= seq && info.num_ack_pending === 0) return;
    if (Date.now() > deadline) throw new Error(`the notifier never acked STOCK ${seq} (ack floor ${info.ack_floor.stream_seq})`);
    await new Promise((done) => setTimeout(done, 50));
  }
};

/** Every notify event of `sku`, as they arrive. */
const listen = (sku: string) => {
  const events: Array<NotifyPublicEvent> = [];
  const sub: Subscription = f.nc.subscribe(f.names.stock.notifySubject(Sku.make(sku)), {
    callback: (_, m) => {
      events.push(Either.getOrThrow(decodeNotifyPublicEvent(m.data)));
    },
  });
  return {
    events,
    stop: () => sub.unsubscribe(),
    /** Waits until `n` events arrived in all. */
    count: async (n: number) => {
      const deadline = Date.now() + 20_000;
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`${events.length} notify event(s) of ${sku} arrived, not ${n}`);
        await new Promise((done) => setTimeout(done, 25));
      }
      return events;
    },
  };
};
const customersOf = (events: ReadonlyArray<NotifyPublicEvent>) => events.flatMap((e) => e.customers.map((c) => c.customerId)).sort();

describe('POST /v1/skus/{sku}/notify-requests', () => {
  it('asking twice while waiting answers the same request: 201, then 200 with the same body', async () => {
    const sku = await catalogued('NOTIFY-TWICE');
    const first = await asked(sku, { customerId: 'cus_twice' });
    expect(first).toMatchObject({ sku, customerId: 'cus_twice', channel: null, status: 'waiting' });
    expect(await asked(sku, { customerId: 'cus_twice' }, 200)).toEqual(first);
    // A retry with the same Idempotency-Key replays the first answer, as on every POST.
    const key = `notify-${sku}`;
    const replayed = await ask(sku, { customerId: 'cus_retry' }, key);
    expect(replayed.status, replayed.text).toBe(201);
    const again = await ask(sku, { customerId: 'cus_retry' }, key);
    expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([201, 'true', replayed.body]);
    expect(problemOf(await f.api.post(`/v1/skus/${sku}/notify-requests`, { customerId: 'cus_1' }, { key: f.keys.reserve, idempotencyKey: null }))).toEqual(
      problem(400, 'idempotency-key-required'),
    );
    expect(await counts(sku)).toEqual({ sku, waiting: 2, notified: 0, byChannel: [{ channel: null, waiting: 2, notified: 0 }] });
  });

  it('twenty concurrent POSTs of one customer make one waiting request', async () => {
    const sku = await catalogued('NOTIFY-RACE');
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask(sku, { customerId: 'cus_race', channel: 'retail' })));
    expect(answers.map((a) => a.status).sort((x, y) => x - y)).toEqual([...Array.from({ length: 19 }, () => 200), 201]);
    expect(new Set(answers.map((a) => decodeBody(NotifyRequestAnswer, a).id)).size).toBe(1);
    expect(await counts(sku)).toMatchObject({ waiting: 1, byChannel: [{ channel: 'retail', waiting: 1, notified: 0 }] });
  });

  it('a registered channel is its own wait; `web` unregistered is the SKU as a whole', async () => {
    const sku = await catalogued('NOTIFY-CHANNELS');
    const whole = await asked(sku, { customerId: 'cus_c' });
    expect(await asked(sku, { customerId: 'cus_c', channel: 'retail' })).toMatchObject({ channel: 'retail' });
    expect(await asked(sku, { customerId: 'cus_c', channel: 'web' }, 200)).toEqual(whole);
    expect(await counts(sku)).toEqual({
      sku,
      waiting: 2,
      notified: 0,
      byChannel: [
        { channel: null, waiting: 1, notified: 0 },
        { channel: 'retail', waiting: 1, notified: 0 },
      ],
    });
  });

  it('an unregistered channel is a 422 unknown-channel; an unknown SKU a 404; a bad customer id a 400', async () => {
    const sku = await catalogued('NOTIFY-REFUSED');
    expect(problemOf(await ask(sku, { customerId: 'cus_1', channel: 'wholesale' }))).toEqual(problem(422, 'unknown-channel'));
    expect(problemOf(await ask(uniqueSku('NOTIFY-NOWHERE'), { customerId: 'cus_1' }))).toEqual(problem(404, 'not-found'));
    expect(problemOf(await ask(sku, { customerId: 'has space' }))).toEqual(problem(400, 'invalid-request'));
    expect(await counts(sku)).toEqual({ sku, waiting: 0, notified: 0, byChannel: [] });
  });

  it('needs stock:reserve to ask and stock:read to count', async () => {
    const sku = await catalogued('NOTIFY-SCOPES');
    expect((await f.api.post(`/v1/skus/${sku}/notify-requests`, { customerId: 'cus_1' }, { key: f.keys.read })).status).toBe(403);
    expect((await f.api.get(`/v1/skus/${sku}/notify-requests`, { key: f.keys.reserve })).status).toBe(403);
  });
});

describe('DELETE /v1/skus/{sku}/notify-requests/{customerId}', () => {
  it('takes a waiting request back: 204, nobody waits, then 404 — per channel, `web` unregistered being the SKU as a whole', async () => {
    const sku = await catalogued('NOTIFY-CANCEL');
    await asked(sku, { customerId: 'cus_x' });
    await asked(sku, { customerId: 'cus_x', channel: 'retail' });
    const cancelled = await cancel(sku, 'cus_x');
    expect([cancelled.status, cancelled.text], cancelled.text).toEqual([204, '']);
    expect(await counts(sku)).toEqual({
      sku,
      waiting: 1,
      notified: 0,
      byChannel: [{ channel: 'retail', waiting: 1, notified: 0 }],
    });
    const again = await cancel(sku, 'cus_x');
    expect(problemOf(again)).toEqual(problem(404, 'not-found'));
    expect(decodeBody(ProblemBody, again).detail).toBe(
      `customer cus_x has no notify-me request waiting for SKU ${sku} as a whole (never asked, already notified, or taken back)`,
    );
    // `web` unregistered is the SKU as a whole, as on the POST: nothing waits there any more.
    expect(problemOf(await cancel(sku, 'cus_x', 'web'))).toEqual(problem(404, 'not-found'));
    expect(problemOf(await cancel(sku, 'cus_x', 'wholesale'))).toEqual(problem(422, 'unknown-channel'));
    expect(problemOf(await cancel(sku, 'has space'))).toEqual(problem(400, 'invalid-request'));
    expect((await cancel(sku, 'cus_x', 'retail', f.keys.read)).status).toBe(403);
    expect((await cancel(sku, 'cus_x', 'retail')).status).toBe(204);
    expect(await counts(sku)).toEqual({ sku, waiting: 0, notified: 0, byChannel: [] });
    expect(problemOf(await cancel(sku, 'cus_x', 'retail'))).toEqual(problem(404, 'not-found'));
    // Asked again through `web`, taken back through `web`.
    await asked(sku, { customerId: 'cus_x', channel: 'web' });
    expect((await cancel(sku, 'cus_x', 'web')).status).toBe(204);
    expect(await counts(sku)).toMatchObject({ waiting: 0, notified: 0 });
  });

  it('keeps notified requests, and a back event tells nobody who took the request back', async () => {
    const sku = await catalogued('NOTIFY-CANCEL-BACK');
    const notify = listen(sku);
    try {
      await asked(sku, { customerId: 'cus_keep' });
      await asked(sku, { customerId: 'cus_gone' });
      expect((await cancel(sku, 'cus_gone')).status).toBe(204);
      const back = await publishBack(backEvent(sku, { scope: 'sku' }), `back-${sku}-1`);
      const [event] = await notify.count(1);
      await handled(back.seq);
      expect(event).toMatchObject({ channel: null, back: { streamSeq: back.seq } });
      expect(customersOf(notify.events)).toEqual(['cus_keep']);
      // The notified request is history: a DELETE finds nothing waiting and leaves it.
      expect(problemOf(await cancel(sku, 'cus_keep'))).toEqual(problem(404, 'not-found'));
      expect(await counts(sku)).toEqual({ sku, waiting: 0, notified: 1, byChannel: [{ channel: null, waiting: 0, notified: 1 }] });
      // A new wait of the notified customer is taken back alone: the notified row stays.
      await asked(sku, { customerId: 'cus_keep' });
      expect((await cancel(sku, 'cus_keep')).status).toBe(204);
      expect(await counts(sku)).toEqual({ sku, waiting: 0, notified: 1, byChannel: [{ channel: null, waiting: 0, notified: 1 }] });
      // Another rise: nobody waits, nobody is told.
      const again = await publishBack(backEvent(sku, { scope: 'sku' }), `back-${sku}-2`);
      await handled(again.seq);
      expect(notify.events).toHaveLength(1);
    } finally {
      notify.stop();
    }
  });
});

describe('back in stock', () => {
  it('tells the customers of each scope once: SKU, a repeat dropped, then nobody; the channel; a location none', async () => {
    const sku = await catalogued('NOTIFY-BACK');
    const notify = listen(sku);
    const a = await asked(sku, { customerId: 'cus_a' });
    await asked(sku, { customerId: 'cus_b' });
    await asked(sku, { customerId: 'cus_r', channel: 'retail' });

    // A payload that is not an event is acked and skipped; the consumer goes on.
    const garbage = await js.publish(f.names.stock.subject('back', Sku.make(sku)), new TextEncoder().encode('{"v":1,"kind":"back"}'));
    const back = backEvent(sku, { scope: 'sku' });
    const first = await publishBack(back, `back-${sku}-1`);
    expect(first.seq).toBeGreaterThan(garbage.seq);
    const [event] = await notify.count(1);
    expect(event).toMatchObject({ kind: 'notify', sku, channel: null, batch: 1, batches: 1, back: { seq: back.seq, streamSeq: first.seq, at: back.at } });
    expect(customersOf(notify.events)).toEqual(['cus_a', 'cus_b']);
    await handled(first.seq);
    expect(await counts(sku)).toMatchObject({ waiting: 1, notified: 2 });

    // The same back event again: JetStream drops it, the notifier never sees it.
    expect((await publishBack(back, `back-${sku}-1`)).duplicate).toBe(true);
    // Another rise of the SKU: nobody waits for it any more.
    const again = await publishBack(backEvent(sku, { scope: 'sku' }), `back-${sku}-2`);
    await handled(again.seq);
    expect(notify.events).toHaveLength(1);

    // Once notified, the customer may ask again: a new wait.
    const renewed = await asked(sku, { customerId: 'cus_a' });
    expect(renewed.id).not.toBe(a.id);

    const retail = await publishBack(backEvent(sku, { scope: 'channel', channel: ChannelId.make('retail') }), `back-${sku}-retail`);
    const [, retailEvent] = await notify.count(2);
    expect(retailEvent).toMatchObject({ channel: 'retail', customers: [{ customerId: 'cus_r' }], back: { streamSeq: retail.seq } });

    const location = await publishBack(backEvent(sku, { scope: 'location', location: LocationId.make('main') }), `back-${sku}-main`);
    const legacy = await publishBack(backEvent(sku, { location: LocationId.make('main') }), `back-${sku}-legacy`);
    await handled(Math.max(location.seq, legacy.seq));
    expect(notify.events).toHaveLength(2);
    expect(await counts(sku)).toEqual({
      sku,
      waiting: 1,
      notified: 3,
      byChannel: [
        { channel: null, waiting: 1, notified: 2 },
        { channel: 'retail', waiting: 0, notified: 1 },
      ],
    });
    notify.stop();
  });

  it('tells 1,001 customers in notifications of 500, 500 and 1, each customer once', async () => {
    const sku = await catalogued('NOTIFY-MANY');
    const notify = listen(sku);
    const customers = Array.from({ length: 1_001 }, (_, i) => `cus_${String(i).padStart(4, '0')}`);
    await mapWithLimit(customers, 20, (customerId) => asked(sku, { customerId }));
    const back = await publishBack(backEvent(sku, { scope: 'sku' }), `back-${sku}-1`);
    const events = await notify.count(3);
    await handled(back.seq);
    expect(events.map((e) => [e.batch, e.batches, e.customers.length]).sort()).toEqual([
      [1, 3, 500],
      [2, 3, 500],
      [3, 3, 1],
    ]);
    expect(customersOf(events)).toEqual(customers);
    expect(await counts(sku)).toMatchObject({ waiting: 0, notified: 1_001 });
    notify.stop();
  });
});

describe('a back event delivered again (the API stopped before acking it)', () => {
  it('answers the customers it claimed the first time, and claims nobody who asked since', async () => {
    const sku = await catalogued('NOTIFY-REDELIVERED');
    const store = makeNotifyRequestStore(orm);
    await asked(sku, { customerId: 'cus_1' });
    await asked(sku, { customerId: 'cus_2' });
    const wake = { sku, channel: null, backStreamSeq: 424_242, now: Date.now() };
    const first = await store.claim(wake);
    expect(first.map((c) => c.customerId)).toEqual(['cus_1', 'cus_2']);
    await asked(sku, { customerId: 'cus_3' });
    expect(await store.claim({ ...wake, now: Date.now() })).toEqual(first);
    expect((await store.claim({ ...wake, backStreamSeq: 424_243, now: Date.now() })).map((c) => c.customerId)).toEqual(['cus_3']);
    expect(await counts(sku)).toMatchObject({ waiting: 0, notified: 3 });
  });
});

describe('a shop’s mailer', () => {
  it('subscribes a webhook to stock.v1.notify and receives the customers, signed like every delivery', async () => {
    const mailer = await startWebhookReceiver();
    try {
      const put = await f.api.put('/v1/webhooks/mailer', { url: mailer.url, events: ['stock.v1.notify'] });
      expect(put.status, put.text).toBe(201);
      const { secret } = decodeBody(Schema.Struct({ secret: Schema.String }), put);
      const sku = await catalogued('NOTIFY-MAILER');
      await asked(sku, { customerId: 'cus_mail' });
      const back = backEvent(sku, { scope: 'sku' });
      await publishBack(back, `back-${sku}-1`);
      const [delivered] = await mailer.waitFor((all) => all.length > 0);
      if (delivered === undefined) throw new Error('nothing delivered');
      expect(new Webhook(secret).verify(delivered.body, delivered.headers)).toMatchObject({
        type: 'stock.v1.notify',
        data: { sku, channel: null, customers: [{ customerId: 'cus_mail' }], version: back.seq },
      });
    } finally {
      await mailer.stop();
    }
  });
});

describe('the restock suggestions', () => {
  it('show the customers waiting for the SKU beside each suggestion', async () => {
    const sku = await catalogued('NOTIFY-SIGNAL');
    await asked(sku, { customerId: 'cus_1' });
    await asked(sku, { customerId: 'cus_2', channel: 'retail' });
    const answer = await f.api.get(`/v1/restock-suggestions?sku=${sku}`, { key: f.keys.read });
    expect(answer.status, answer.text).toBe(200);
    expect(decodeBody(RestockSuggestionsAnswer, answer).items.map((i) => [i.location, i.signals.notifyWaiting])).toEqual([['main', 2]]);
  });
});

describe('end to end: a SKU sold out through the API, then restocked, with the runner announcing it', () => {
  it('tells the customer who asked, once, from the runner\'s own back event', async () => {
    const sku = await catalogued('NOTIFY-E2E');
    const restocked = await f.api.post('/v1/restocks', { sku, qty: 2, reference: 'po-e2e-1' }, { key: f.keys.write });
    expect(restocked.status, restocked.text).toBe(202);
    await expect.poll(async () => (await f.api.get(`/v1/stock/${sku}`, { key: f.keys.read })).status, { timeout: 15_000 }).toBe(200);
    const sold = await f.api.post('/v1/orders', { orderId: `o-${sku}`, lines: [{ sku, qty: 2 }] }, { key: f.keys.write });
    expect(sold.status, sold.text).toBeLessThan(300);
    await asked(sku, { customerId: 'cus_e2e' });
    const notified = listen(sku);
    try {
      expect((await f.api.post('/v1/restocks', { sku, qty: 5, reference: 'po-e2e-2' }, { key: f.keys.write })).status).toBe(202);
      await notified.count(1);
      expect(notified.events.map((e) => [e.channel, e.customers.map((c) => c.customerId)])).toEqual([[null, ['cus_e2e']]]);
      // A second restock while in stock is no rise: nobody more is told, and the request is spent.
      expect((await f.api.post('/v1/restocks', { sku, qty: 1, reference: 'po-e2e-3' }, { key: f.keys.write })).status).toBe(202);
      await new Promise((done) => setTimeout(done, 1_500));
      expect(notified.events).toHaveLength(1);
      expect(await counts(sku)).toMatchObject({ waiting: 0, notified: 1 });
    } finally {
      notified.stop();
    }
  });
});
