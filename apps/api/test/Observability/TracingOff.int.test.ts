// "No cost when off", checked on the real NATS server: with tracing off nothing is registered, the OTel
// API hands out non-recording spans, a command's RequestBatch bytes are exactly the pre-tracing ones and
// its INV_CMD message carries only Nats-Msg-Id. With a tracer, the same gateway puts the traceparent of
// its own span on the batch item and in the INV_CMD header.
import { Actor, CommandId, EpochMillis, Quantity, Reference, Restock, Sku, type Command } from '@larder/domain';
import {
  defaultTopologyOptions,
  encodeReplyBatch,
  ensureTopology,
  HeaderNames,
  makeNames,
  makeRequestClient,
  Namespace,
  ProcessId,
  Shards,
  SpanNames,
  type Names,
  type ReplyOutcome,
  startTracing,
} from '@larder/messaging';
import { deleteNamespaceStreams, makeTestNamespace, requireNats } from '@larder/testing';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ConfigProvider, Effect, Either, Exit, Schema, Scope } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCommandGateway, type CommandGateway } from '../../src/Commands/CommandGateway.js';
import { traceGateway } from '../../src/Observability/TracedGateway.js';

let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let names: Names;
let namespace: string;

beforeAll(async () => {
  const server = await requireNats();
  namespace = makeTestNamespace().nats;
  names = makeNames(Namespace.make(namespace), { shards: Shards.make(4) });
  nc = await connect({ servers: server.url, inboxPrefix: names.inbox.prefix(ProcessId.make('tracing-off')) });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
  await ensureTopology(nc, jsm, names, defaultTopologyOptions);
});
afterAll(async () => {
  await deleteNamespaceStreams(nc, namespace);
  await nc.close();
});

let counter = 0;
const restock = (): Command =>
  Restock.make({
    commandId: CommandId.make(`off-${++counter}-${Date.now()}`),
    actor: Actor.make('service:test'),
    now: EpochMillis.make(1_764_000_000_000),
    sku: Sku.make(`OFF-${counter}`),
    qty: Quantity.make(1),
    reference: Reference.make('po-1'),
  });
const accepted: ReplyOutcome = { _tag: 'Accepted', seq: null, levels: { onHand: 1, reserved: 0, safetyStock: 0, available: 1 } };
const readItems = Schema.decodeUnknownSync(
  Schema.parseJson(Schema.Struct({ items: Schema.Array(Schema.Struct({ id: Schema.String, deadline: Schema.Number, traceparent: Schema.optional(Schema.String) })) })),
);

/** A gateway over a fresh request client; closing it closes the client. */
const gatewayOf = (label: string) => {
  const client = makeRequestClient(nc, names, { inboxPrefix: names.inbox.prefix(ProcessId.make(label)) });
  return { gateway: makeCommandGateway(client, js, names, 5_000), close: () => client.close() };
};

/** Sends `command` through `gateway` to a raw responder; the bytes of the one message it received. */
const sendAndCapture = async (gateway: CommandGateway, command: Command): Promise<string> => {
  const seen: Array<Msg> = [];
  const sub = nc.subscribe(names.requests.subject(names.shardOf(command.sku)), {
    callback: (error, msg) => {
      if (error !== null) return;
      seen.push(msg);
      const [first, ...rest] = readItems(new TextDecoder().decode(msg.data)).items.map((i) => ({ id: i.id, outcome: accepted }));
      if (first !== undefined) msg.respond(encodeReplyBatch({ v: 1, items: [first, ...rest] }));
    },
  });
  await nc.flush();
  const answer = await gateway.send(command);
  sub.unsubscribe();
  expect(Either.isRight(answer)).toBe(true);
  expect(seen).toHaveLength(1);
  expect(seen[0]?.headers).toBeUndefined();
  return new TextDecoder().decode(seen[0]?.data);
};

/** Stores `command` through `gateway`; the headers of the message INV_CMD holds. */
const enqueueAndRead = async (gateway: CommandGateway, command: Command) => {
  await gateway.enqueue(command);
  const stored = await jsm.streams.getMessage(names.commands.stream, { last_by_subj: names.commands.subject(command.sku) });
  return Object.fromEntries([...(stored?.header.keys() ?? [])].map((key) => [key, stored?.header.get(key)]));
};

describe('tracing off (no OTLP endpoint)', () => {
  it('registers nothing: startTracing gives no tracer and the OTel API hands out non-recording spans', async () => {
    const scope = Effect.runSync(Scope.make());
    const tracer = await Effect.runPromise(
      startTracing('larder-api', { instanceId: 'api-test', warn: () => undefined }).pipe(
        Scope.extend(scope),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([['OTEL_SERVICE_NAME', 'ignored']]))),
      ),
    );
    expect(tracer).toBeUndefined();
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
    expect(context.active()).toBe(ROOT_CONTEXT);
    await Effect.runPromise(Scope.close(scope, Exit.void));
  });

  it('a sync command goes out byte for byte as before tracing existed (no traceparent, no header)', async () => {
    const { gateway, close } = gatewayOf('off-send');
    const command = restock();
    const text = await sendAndCapture(gateway, command);
    close();
    const [item] = readItems(text).items;
    const expected = JSON.stringify({ v: 1, items: [{ id: item?.id, command, deadline: item?.deadline }] });
    expect(text).toBe(expected);
    expect(text).not.toContain('traceparent');
  });

  it('an async command is stored on INV_CMD with Nats-Msg-Id only', async () => {
    const { gateway, close } = gatewayOf('off-enqueue');
    const command = restock();
    const headers = await enqueueAndRead(gateway, command);
    close();
    expect(headers).toEqual({ [HeaderNames.messageId]: command.commandId });
  });
});

describe('tracing on (a tracer given to the gateway)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const exportedSpan = (name: string) => {
    const span = exporter.getFinishedSpans().find((s) => s.name === name);
    if (span === undefined) throw new Error(`no finished "${name}" span`);
    return span.spanContext();
  };

  it('a sync command carries the traceparent of its send inv.req span on its batch item', async () => {
    const { gateway, close } = gatewayOf('on-send');
    const text = await sendAndCapture(traceGateway(gateway, tracer, names), restock());
    close();
    const sent = exportedSpan(SpanNames.sendRequest);
    expect(readItems(text).items.map((i) => i.traceparent)).toEqual([`00-${sent.traceId}-${sent.spanId}-01`]);
  });

  it('an async command carries the traceparent of its publish inv.cmd span in a header', async () => {
    const { gateway, close } = gatewayOf('on-enqueue');
    const command = restock();
    const headers = await enqueueAndRead(traceGateway(gateway, tracer, names), command);
    close();
    const published = exportedSpan(SpanNames.publishCommand);
    expect(headers).toEqual({ [HeaderNames.messageId]: command.commandId, [HeaderNames.traceParent]: `00-${published.traceId}-${published.spanId}-01` });
  });
});
