// One trace from the HTTP request to the actor's append, across two real processes: an API and a shard
// runner started as children with tracing on, exporting to an OTLP/HTTP receiver in this test. A
// reservation (request path, traceparent per batch item) continues the client's traceparent; an order
// (INV_CMD path, traceparent header) starts its own trace; each shows the whole chain of spans.
import { SpanAttributeNames, SpanNames } from '@larder/messaging';
import {
  ApiWithoutShedding,
  deleteNamespaceStreams,
  deleteRedisKeys,
  dropPostgresSchema,
  freePort,
  makeTestNamespace,
  requireNats,
  requirePostgres,
  requireRedis,
  startLarderProcess,
  type LarderProcess,
} from '@larder/testing';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, StockBody } from '../Support/Bodies.js';
import { makeApiClient, type ApiClient } from '../Support/HttpClient.js';
import { OtlpKind, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../Support/OtlpReceiver.js';
import { makeTestCredentials } from '../Support/TestCredentials.js';

const ns = makeTestNamespace();
let receiver: OtlpReceiver;
let runner: LarderProcess | undefined;
let api: LarderProcess | undefined;
let client: ApiClient;
let serviceUrls: { nats: string; pg: string; redis: string };

beforeAll(async () => {
  const [nats, pg, redis] = await Promise.all([requireNats(), requirePostgres(), requireRedis()]);
  serviceUrls = { nats: nats.url, pg: pg.url, redis: redis.url };
  receiver = await startOtlpReceiver();
  const env = {
    NATS_URL: nats.url,
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    LARDER_NAMESPACE: ns.nats,
    LARDER_SHARDS: '4',
    LARDER_DB_SCHEMA: ns.postgresSchema,
    LARDER_REDIS_PREFIX: ns.redisPrefix,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    // Export within a tenth of a second, so the test waits on spans, not on the 5 s default.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  };
  runner = await startLarderProcess({ name: 'runner', entry: 'apps/inventory-actors/src/main.ts', env, ready: '"runner ready"', readyTimeoutMs: 60_000 });
  const port = await freePort();
  const credentials = makeTestCredentials();
  api = await startLarderProcess({
    name: 'api',
    entry: 'apps/api/src/main.ts',
    env: { ...env, ...credentials.env, ...ApiWithoutShedding, HOST: '127.0.0.1', PORT: String(port) },
    ready: '"api ready"',
    readyTimeoutMs: 60_000,
  });
  client = makeApiClient(`http://127.0.0.1:${port}`, credentials.keys.admin);
}, 150_000);

afterAll(async () => {
  await api?.stop();
  await runner?.stop();
  await receiver?.stop();
  if (serviceUrls === undefined) return;
  const nc = await connect({ servers: serviceUrls.nats });
  await deleteNamespaceStreams(nc, ns.nats);
  await nc.close();
  await dropPostgresSchema(serviceUrls.pg, ns.postgresSchema);
  const redis = new Redis(serviceUrls.redis);
  await deleteRedisKeys(redis, ns.redisPrefix);
  await redis.quit();
}, 60_000);

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const inTrace = (spans: ReadonlyArray<ReceivedSpan>, traceId: string) => spans.filter((s) => s.traceId === traceId);
const named = (spans: ReadonlyArray<ReceivedSpan>, service: string, name: string) => spans.filter((s) => s.service === service && s.name === name);
const only = (spans: ReadonlyArray<ReceivedSpan>, service: string, name: string): ReceivedSpan => {
  const found = named(spans, service, name);
  expect(found.map((s) => `${s.service} ${s.name}`), `exactly one ${service} "${name}" span`).toEqual([`${service} ${name}`]);
  const [span] = found;
  if (span === undefined) throw new Error(`no ${service} "${name}" span`);
  return span;
};
const hasApiSpans = (spans: ReadonlyArray<ReceivedSpan>, ...names: ReadonlyArray<string>) =>
  names.every((name) => named(spans, 'larder-api', name).length > 0);
/** The chain every traced command leaves: runner spans under the API's send/publish span. */
const hasRunnerChain = (spans: ReadonlyArray<ReceivedSpan>, process: string) =>
  [process, SpanNames.decide, SpanNames.append].every((name) => named(spans, 'larder-runner', name).length > 0);

const waitForStock = async (sku: string, onHand: number) => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await client.get(`/v1/stock/${sku}`);
    if (answer.status === 200 && decodeBody(StockBody, answer).onHand === onHand) return;
    if (Date.now() > deadline) throw new Error(`${sku} never reached onHand ${onHand}: ${answer.status} ${answer.text}`);
    await new Promise((tick) => setTimeout(tick, 50));
  }
};

describe('one trace per request, across the API and the runner', () => {
  const sku = `TRACE-${hex(4)}`;

  it('a reservation continues the client traceparent: HTTP → send inv.req → process inv.req → decide, append', async () => {
    const restocked = await client.post('/v1/restocks', { sku, qty: 10, reference: 'po-trace' });
    expect(restocked.status, restocked.text).toBe(202);
    await waitForStock(sku, 10);

    const clientTrace = hex(16);
    const clientSpan = hex(8);
    const answer = await client.post('/v1/reservations', { lines: [{ sku, qty: 2 }] }, { headers: { traceparent: `00-${clientTrace}-${clientSpan}-01` } });
    expect(answer.status, answer.text).toBe(201);

    // The processes export separately, and the API's server span ends (and is batched) after the
    // answer: wait for every span the test reads, not only the runner's.
    const spans = inTrace(
      await receiver.waitFor((all) => {
        const trace = inTrace(all, clientTrace);
        return hasApiSpans(trace, 'POST /v1/reservations', SpanNames.sendRequest) && hasRunnerChain(trace, SpanNames.processRequest);
      }),
      clientTrace,
    );
    const server = only(spans, 'larder-api', 'POST /v1/reservations');
    const send = only(spans, 'larder-api', SpanNames.sendRequest);
    const processed = only(spans, 'larder-runner', SpanNames.processRequest);
    const decide = only(spans, 'larder-runner', SpanNames.decide);
    const append = only(spans, 'larder-runner', SpanNames.append);

    expect(server).toMatchObject({ parentSpanId: clientSpan, kind: OtlpKind.server });
    expect(server.attributes).toMatchObject({ 'http.route': '/v1/reservations', 'http.request.method': 'POST', 'http.response.status_code': 201 });
    expect(send).toMatchObject({ parentSpanId: server.spanId, kind: OtlpKind.client });
    expect(send.attributes).toMatchObject({ [SpanAttributeNames.sku]: sku, [SpanAttributeNames.command]: 'ReserveStock', [SpanAttributeNames.outcome]: 'Accepted' });
    expect(processed).toMatchObject({ parentSpanId: send.spanId, kind: OtlpKind.server });
    expect(processed.attributes).toMatchObject({ [SpanAttributeNames.commandId]: send.attributes[SpanAttributeNames.commandId], [SpanAttributeNames.outcome]: 'Accepted' });
    expect(decide).toMatchObject({ parentSpanId: processed.spanId });
    expect(append).toMatchObject({ parentSpanId: processed.spanId, kind: OtlpKind.producer, statusCode: 0 });
    // The reply's journal sequence is the append's: the answer came from that durable write.
    expect(append.attributes[SpanAttributeNames.journalSeq]).toBe(processed.attributes[SpanAttributeNames.journalSeq]);
    expect(typeof append.attributes[SpanAttributeNames.journalSeq]).toBe('number');
  });

  it('an order (INV_CMD) is one trace: HTTP → publish inv.cmd → process inv.cmd → decide, append', async () => {
    const answer = await client.post('/v1/orders', { orderId: `order-${hex(4)}`, lines: [{ sku, qty: 1 }] });
    expect(answer.status, answer.text).toBe(202);

    const all = await receiver.waitFor((received) => {
      const server = received.find((s) => s.name === 'POST /v1/orders');
      if (server === undefined) return false;
      const trace = inTrace(received, server.traceId);
      return hasApiSpans(trace, SpanNames.publishCommand) && hasRunnerChain(trace, SpanNames.processCommand);
    });
    const root = all.find((s) => s.name === 'POST /v1/orders');
    if (root === undefined) throw new Error('no POST /v1/orders span');
    const spans = inTrace(all, root.traceId);
    const server = only(spans, 'larder-api', 'POST /v1/orders');
    const publish = only(spans, 'larder-api', SpanNames.publishCommand);
    const processed = only(spans, 'larder-runner', SpanNames.processCommand);
    const decide = only(spans, 'larder-runner', SpanNames.decide);
    const append = only(spans, 'larder-runner', SpanNames.append);

    expect(server).toMatchObject({ parentSpanId: undefined, kind: OtlpKind.server });
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 202 });
    expect(publish).toMatchObject({ parentSpanId: server.spanId, kind: OtlpKind.producer });
    expect(publish.attributes).toMatchObject({ [SpanAttributeNames.sku]: sku, [SpanAttributeNames.command]: 'RecordSale' });
    expect(processed).toMatchObject({ parentSpanId: publish.spanId, kind: OtlpKind.consumer });
    expect(processed.attributes).toMatchObject({ [SpanAttributeNames.outcome]: 'Accepted', 'larder.delivery': 1 });
    expect(decide).toMatchObject({ parentSpanId: processed.spanId });
    expect(append).toMatchObject({ parentSpanId: processed.spanId });
    expect(receiver.refused()).toEqual([]);
  });
});
