// A tiny OTLP/HTTP receiver for tests: a node:http server on a free port that accepts POST /v1/traces
// in the JSON protocol (what @opentelemetry/exporter-trace-otlp-http sends), decodes every span with
// its service name, and lets a test wait until the spans it expects have arrived.
import { freePort } from '@larder/testing';
import { createServer } from 'node:http';
import { Either, Schema } from 'effect';

const AnyValue = Schema.Struct({
  stringValue: Schema.optional(Schema.String),
  intValue: Schema.optional(Schema.Union(Schema.Number, Schema.String)),
  doubleValue: Schema.optional(Schema.Number),
  boolValue: Schema.optional(Schema.Boolean),
});
const KeyValue = Schema.Struct({ key: Schema.String, value: AnyValue });
const OtlpSpan = Schema.Struct({
  traceId: Schema.String,
  spanId: Schema.String,
  parentSpanId: Schema.optional(Schema.String),
  name: Schema.String,
  kind: Schema.Number,
  attributes: Schema.optional(Schema.Array(KeyValue)),
  links: Schema.optional(Schema.Array(Schema.Struct({ traceId: Schema.String, spanId: Schema.String }))),
  status: Schema.optional(Schema.Struct({ code: Schema.optional(Schema.Number) })),
});
const ExportRequest = Schema.parseJson(
  Schema.Struct({
    resourceSpans: Schema.Array(
      Schema.Struct({
        resource: Schema.optional(Schema.Struct({ attributes: Schema.optional(Schema.Array(KeyValue)) })),
        scopeSpans: Schema.Array(Schema.Struct({ spans: Schema.Array(OtlpSpan) })),
      }),
    ),
  }),
);
const decodeExport = Schema.decodeUnknownEither(ExportRequest);

/** OTLP's span kinds (the API's SpanKind + 1). */
export const OtlpKind = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly links: ReadonlyArray<{ readonly traceId: string; readonly spanId: string }>;
  /** 2: error. */
  readonly statusCode: number;
}

const valueOf = (v: typeof AnyValue.Type): string | number | boolean =>
  v.stringValue ?? (v.intValue === undefined ? undefined : Number(v.intValue)) ?? v.doubleValue ?? v.boolValue ?? '';

const attributesOf = (list: ReadonlyArray<typeof KeyValue.Type> | undefined) =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));

export interface OtlpReceiver {
  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  readonly spans: () => ReadonlyArray<ReceivedSpan>;
  /** Bodies that did not decode (a broken exporter must fail the test, not vanish). */
  readonly refused: () => ReadonlyArray<string>;
  /** Resolves with the spans once `ready(spans)` holds; rejects after `timeoutMs` saying what arrived. */
  readonly waitFor: (ready: (spans: ReadonlyArray<ReceivedSpan>) => boolean, timeoutMs?: number) => Promise<ReadonlyArray<ReceivedSpan>>;
  readonly stop: () => Promise<void>;
}

export const startOtlpReceiver = async (): Promise<OtlpReceiver> => {
  const received: Array<ReceivedSpan> = [];
  const refused: Array<string> = [];
  const server = createServer((request, response) => {
    const chunks: Array<Buffer> = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const decoded = request.method === 'POST' && request.url === '/v1/traces' ? decodeExport(body) : undefined;
      if (decoded === undefined || Either.isLeft(decoded)) {
        refused.push(`${request.method ?? '?'} ${request.url ?? '?'}: ${decoded === undefined ? 'not POST /v1/traces' : decoded.left.message}`);
        response.writeHead(400).end();
        return;
      }
      for (const { resource, scopeSpans } of decoded.right.resourceSpans) {
        const service = String(attributesOf(resource?.attributes)['service.name'] ?? '');
        for (const { spans } of scopeSpans) {
          for (const s of spans) {
            received.push({
              service,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId === undefined || s.parentSpanId === '' ? undefined : s.parentSpanId,
              name: s.name,
              kind: s.kind,
              attributes: attributesOf(s.attributes),
              links: s.links ?? [],
              statusCode: s.status?.code ?? 0,
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));

  const waitFor: OtlpReceiver['waitFor'] = async (ready, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!ready(received)) {
      if (Date.now() > deadline) {
        const seen = received.map((s) => `${s.service} ${s.name} ${s.traceId}/${s.spanId}<-${s.parentSpanId ?? 'root'}`).join('\n  ');
        throw new Error(`the expected spans did not arrive in ${timeoutMs} ms; received:\n  ${seen}\nrefused: ${refused.join('; ')}`);
      }
      await new Promise((tick) => setTimeout(tick, 50));
    }
    return [...received];
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    refused: () => [...refused],
    waitFor,
    stop: () => new Promise((closed) => server.close(() => closed())),
  };
};
