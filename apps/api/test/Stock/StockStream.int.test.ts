// The live stock stream (GET /v1/stock/events) over real HTTP against a real runner: a named SKU's
// current view first, then every change; a client that reconnects with Last-Event-ID (to the same
// instance or another) gets the latest view of every SKU that changed meanwhile and misses nothing; a
// position older than what is kept gets a fresh snapshot; a client that stops reading is cut off
// while the others and the reads carry on.
import { openEventStream, type EventStreamClient, type StreamEvent } from '@larder/testing';
import { CalendarDate, LotCode, Sku } from '@larder/domain';
import { decodeStockView, encodeStockView } from '@larder/messaging';
import { Kvm } from '@nats-io/kv';
import { nuid } from '@nats-io/transport-node';
import { Either, Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody } from '../Support/Bodies.js';
import type { ApiClient } from '../Support/HttpClient.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

let f: SystemFixture;
const streams: Array<EventStreamClient> = [];
beforeAll(async () => {
  f = await makeSystemFixture();
});
afterAll(async () => {
  for (const s of streams) s.close();
  await f?.cleanup();
});

const View = Schema.Struct({ sku: Schema.String, onHand: Schema.Int, available: Schema.Int, reserved: Schema.Int, version: Schema.Int });
const Ready = Schema.Struct({ revision: Schema.Int, start: Schema.Literal('resumed', 'snapshot', 'live'), missing: Schema.Array(Schema.String) });
const viewOf = (e: StreamEvent) => Schema.decodeUnknownSync(Schema.parseJson(View))(e.data);
const readyOf = (e: StreamEvent) => Schema.decodeUnknownSync(Schema.parseJson(Ready))(e.data);

const open = async (api: ApiClient, skus: ReadonlyArray<string>, headers: Record<string, string> = {}, key = f.keys.read) => {
  const query = skus.map((s) => `sku=${encodeURIComponent(s)}`).join('&');
  const stream = await openEventStream(`${api.url}/v1/stock/events${query === '' ? '' : `?${query}`}`, { 'x-api-key': key, ...headers });
  streams.push(stream);
  return stream;
};

/** The latest view each SKU has in a stream's `stock` events. */
const latestViews = (stream: EventStreamClient) => {
  const latest = new Map<string, typeof View.Type>();
  for (const e of stream.events()) {
    if (e.event !== 'stock') continue;
    const view = viewOf(e);
    const known = latest.get(view.sku);
    if (known === undefined || known.version <= view.version) latest.set(view.sku, view);
  }
  return latest;
};

const restock = (sku: string, qty: number) => f.api.post('/v1/restocks', { sku, qty, reference: `po-${nuid.next()}` }, { key: f.keys.write });

describe('GET /v1/stock/events', () => {
  it('starts with the named SKUs’ current views, then pushes a hold made through the API', async () => {
    const sku = uniqueSku('SSE');
    const unknown = uniqueSku('NOSUCH');
    await f.seedStock(sku, 10);
    const stream = await open(f.api, [sku, unknown]);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const ready = readyOf(await stream.waitFor((e) => e.event === 'ready'));
    expect(ready).toMatchObject({ start: 'snapshot', missing: [unknown] });
    expect(viewOf(await stream.waitFor((e) => e.event === 'stock'))).toMatchObject({ sku, onHand: 10, available: 10 });

    const hold = await f.api.post('/v1/reservations', { lines: [{ sku, qty: 3 }] }, { key: f.keys.reserve });
    expect(hold.status, hold.text).toBe(201);
    const pushed = viewOf(await stream.waitFor((e) => e.event === 'stock' && viewOf(e).reserved === 3));
    expect(pushed).toMatchObject({ sku, onHand: 10, available: 7, reserved: 3 });
    expect(Number(stream.lastEventId())).toBeGreaterThanOrEqual(ready.revision);
    // Only the named SKUs: another SKU's change is not sent.
    const other = uniqueSku('SSE-OTHER');
    await f.seedStock(other, 1);
    await f.seedStock(sku, 1);
    await stream.waitFor((e) => e.event === 'stock' && viewOf(e).onHand === 11);
    expect(stream.events().filter((e) => e.event === 'stock').map((e) => viewOf(e).sku)).not.toContain(other);
  });

  it('needs stock:read, refuses a bad Last-Event-ID and more than 500 SKUs', async () => {
    const noKey = await f.api.get('/v1/stock/events', { key: null });
    expect(noKey.status).toBe(401);
    const badId = await f.api.raw({ method: 'GET', path: '/v1/stock/events?sku=A', headers: { 'last-event-id': 'yesterday' } });
    expect(badId.status).toBe(400);
    const tooMany = Array.from({ length: 501 }, (_, i) => `sku=S-${i}`).join('&');
    expect((await f.api.get(`/v1/stock/events?${tooMany}`)).status).toBe(400);
  });

  it('a client that reconnects with Last-Event-ID, here or on another instance, misses no change', async () => {
    const a = uniqueSku('SSE-A');
    const b = uniqueSku('SSE-B');
    // Another instance, up before the client's position: it resumes from it too (ids are the KV bucket's revisions).
    const second = await f.startApiInstance();
    await f.seedStock(a, 5);
    await f.seedStock(b, 5);
    // A witness stays connected throughout; the other client drops and comes back.
    const witness = await open(f.api, [a, b]);
    const first = await open(f.api, [a, b]);
    await first.waitFor((e) => e.event === 'ready');
    await first.waitFor((e) => e.event === 'stock' && viewOf(e).sku === b);
    const position = first.lastEventId();
    expect(position).toBeDefined();
    first.close();
    await first.closed;

    for (let i = 0; i < 4; i++) expect((await restock(a, 1)).status).toBe(202);
    expect((await restock(b, 7)).status).toBe(202);
    await f.waitForStock(a, (v) => v.onHand === 9);
    await f.waitForStock(b, (v) => v.onHand === 12);

    const again = await open(f.api, [a, b], { 'last-event-id': String(position) });
    expect(readyOf(await again.waitFor((e) => e.event === 'ready')).start).toBe('resumed');
    // What it got on resuming: the latest view of each, nothing older than the position.
    expect(again.events().filter((e) => e.event === 'stock').every((e) => Number(e.id) > Number(position))).toBe(true);
    const resumed = latestViews(again);
    expect(resumed.get(a)).toMatchObject({ onHand: 9 });
    expect(resumed.get(b)).toMatchObject({ onHand: 12 });

    const elsewhere = await open(second, [a, b], { 'last-event-id': String(position) });
    expect(readyOf(await elsewhere.waitFor((e) => e.event === 'ready')).start).toBe('resumed');
    expect(latestViews(elsewhere).get(a)).toMatchObject({ onHand: 9 });
    expect(latestViews(elsewhere).get(b)).toMatchObject({ onHand: 12 });

    // The witness saw the same end state.
    await witness.waitFor((e) => e.event === 'stock' && viewOf(e).sku === b && viewOf(e).onHand === 12);
    expect(latestViews(witness).get(a)).toMatchObject({ onHand: 9 });
    await second.stop();
  });

  it('a position older than the changes kept gets the current views instead (nothing is skipped)', async () => {
    const small = await f.startApiInstance({ LARDER_STREAM_REPLAY_CHANGES: '2' });
    const sku = uniqueSku('SSE-OLD');
    await f.seedStock(sku, 1);
    const first = await open(small, [sku]);
    await first.waitFor((e) => e.event === 'ready');
    const position = first.lastEventId();
    first.close();
    // More changes (of other SKUs too) than the 2 kept.
    for (let i = 0; i < 3; i++) await f.seedStock(uniqueSku('SSE-NOISE'), 1);
    await f.seedStock(sku, 2);
    await f.waitForStock(sku, (v) => v.onHand === 3, small);
    const again = await open(small, [sku], { 'last-event-id': String(position) });
    expect(readyOf(await again.waitFor((e) => e.event === 'ready')).start).toBe('snapshot');
    expect(latestViews(again).get(sku)).toMatchObject({ onHand: 3 });
    await small.stop();
  });

  it('cuts off a client that stops reading, while a reading client gets every change and reads answer', async () => {
    const tight = await f.startApiInstance({ LARDER_STREAM_MAX_BUFFER_BYTES: '2097152' });
    // The slow client follows every SKU and stops reading; the reader follows one SKU and reads.
    const followed = uniqueSku('SSE-READ');
    await f.seedStock(followed, 1);
    const slow = await open(tight, []);
    const reader = await open(tight, [followed]);
    await slow.waitFor((e) => e.event === 'ready');
    slow.pause();
    // Views with 1,000 lots (about 100 kB each), written to the stock bucket the API watches: 500 of them
    // are 50 MB, more than the kernel's socket buffers take in (they grow to tens of MB on loopback)
    // before the server's own queue grows.
    const sku = uniqueSku('SSE-SLOW');
    await f.seedStock(sku, 1);
    const kv = await new Kvm(f.nc).open(f.names.buckets.stock);
    const real = await kv.get(f.names.keys.stock(Sku.make(sku)));
    const base = decodeStockView(real?.value ?? new Uint8Array());
    if (Either.isLeft(base)) throw new Error(`the seeded view does not decode: ${base.left.reason}`);
    const lots = Array.from({ length: 1_000 }, (_, i) => ({ code: LotCode.make(`L${i}`), bestBefore: CalendarDate.make('2031-01-01'), producedOn: null, onHand: 1, status: 'sellable' as const }));
    const big = { ...base.right, sku: Sku.make('SKU-PLACEHOLDER'), onHand: 1_000, available: 1_000, locations: base.right.locations.map((l) => ({ ...l, onHand: 1_000, available: 1_000, lots })) };
    const text = new TextDecoder().decode(encodeStockView(big));
    const skus = Array.from({ length: 500 }, (_, i) => `${sku}-${i}`);
    for (let i = 0; i < skus.length; i += 25) {
      await Promise.all(skus.slice(i, i + 25).map((each) => kv.put(f.names.keys.stock(Sku.make(each)), text.replace('SKU-PLACEHOLDER', each))));
    }
    // The server counts the client it cut off; the client sees its connection end once it reads again.
    const deadline = Date.now() + 20_000;
    while (!/larder_stock_stream_dropped_total [1-9]/.test((await tight.get('/metrics')).text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    slow.discardRest();
    await slow.closed;
    expect(slow.isClosed()).toBe(true);
    // The reader was never held up: it gets the next change of its SKU, and reads answer.
    // Through the write path itself (not HTTP), so a busy machine's 503 cannot fail the check of the stream.
    for (let i = 0; i < 5; i++) await f.seedStock(followed, 1);
    // Generous: this instance's watch decodes the 500 large views first (seconds on a busy CI machine).
    await reader.waitFor((e) => e.event === 'stock' && viewOf(e).onHand === 6, 90_000);
    expect(reader.isClosed()).toBe(false);
    expect(decodeBody(View, await tight.get(`/v1/stock/${skus.at(-1) ?? ''}`)).onHand).toBe(1_000);
    const metrics = await tight.get('/metrics');
    expect(metrics.text).toMatch(/larder_stock_stream_dropped_total [1-9]/);
    expect(metrics.text).toMatch(/larder_stock_stream_clients 1\b/);
    await tight.stop();
  }, 180_000);
});
