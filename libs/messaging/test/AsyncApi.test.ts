// docs/asyncapi.yaml is exactly what the code generates (run `npm run docs:asyncapi` after a change), is a
// valid AsyncAPI 3.0.0 document by the official JSON Schema (@asyncapi/specs, with ajv), holds together
// (refs resolve, parameters match addresses, operations use their channels' messages), and says what the
// code does: its addresses are makeNames' subjects and every encoded message passes its payload schema.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@effect/vitest';
import { Command, EpochMillis, Sku } from '@larder/domain';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { Schema } from 'effect';
import { parse } from 'yaml';
import { asyncApiDocument, renderAsyncApi } from '../scripts/AsyncApiDocument.js';
import {
  encodeCommandMessage,
  encodeReplyBatch,
  encodeRequestBatch,
  encodeStockPublicEvent,
  makeNames,
  Namespace,
  ReplyOutcome,
  Shard,
  Shards,
  StockEventKinds,
  StockPublicEvent,
} from '../src/index.js';
import { reserve, restock, sale } from './Fixtures/DomainFixtures.js';

const committedText = readFileSync(new URL('../../../docs/asyncapi.yaml', import.meta.url), 'utf8');
const JsonObject = Schema.Record({ key: Schema.String, value: Schema.Unknown });
const committed = Schema.decodeUnknownSync(JsonObject)(parse(committedText));

const officialSchema = Schema.decodeUnknownSync(Schema.parseJson(JsonObject))(
  readFileSync(createRequire(import.meta.url).resolve('@asyncapi/specs/schemas/3.0.0-without-$id.json'), 'utf8'),
);

/** ajv for the official draft-07 schema, with its string formats (uri, uri-reference, email…). */
const validateAsyncApi = (() => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(officialSchema);
})();

/** The node a local `$ref` (`#/a/b`) points to, or undefined. */
const resolvePointer = (root: unknown, ref: string): unknown =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' && key in node ? Object.getOwnPropertyDescriptor(node, key)?.value : undefined), root);

/** Every `$ref` value anywhere in a JSON value. */
const refsIn = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value)
    ? value.flatMap(refsIn)
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)))
      : [];

const Channel = Schema.Struct({
  address: Schema.NullOr(Schema.String),
  parameters: Schema.optional(JsonObject),
  messages: Schema.Record({ key: Schema.String, value: Schema.Struct({ $ref: Schema.String }) }),
});
const RefList = Schema.Array(Schema.Struct({ $ref: Schema.String }));
const Operation = Schema.Struct({
  action: Schema.Literal('send', 'receive'),
  channel: Schema.Struct({ $ref: Schema.String }),
  messages: RefList,
  reply: Schema.optional(Schema.Struct({ channel: Schema.Struct({ $ref: Schema.String }), messages: RefList })),
  bindings: Schema.optional(Schema.Struct({ nats: Schema.Struct({ queue: Schema.String }) })),
});
const Document = Schema.Struct({
  channels: Schema.Record({ key: Schema.String, value: Channel }),
  operations: Schema.Record({ key: Schema.String, value: Operation }),
});
const doc = Schema.decodeUnknownSync(Document)(committed);
const channel = (name: string) => {
  const found = doc.channels[name];
  if (found === undefined) throw new Error(`no channel ${name}`);
  return found;
};

/** An address with its `{parameters}` filled in. */
const fill = (address: string | null, values: Readonly<Record<string, string>>) =>
  (address ?? '').replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);

describe('docs/asyncapi.yaml', () => {
  it('is what the code generates (run `npm run docs:asyncapi` after a change)', () => {
    expect(committedText).toBe(renderAsyncApi(asyncApiDocument()));
  });

  it('is a valid AsyncAPI 3.0.0 document by the official JSON Schema', () => {
    const valid = validateAsyncApi(committed);
    expect(validateAsyncApi.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would fail that validation if it were broken (the check is real)', () => {
    const withoutInfo = Object.fromEntries(Object.entries(committed).filter(([k]) => k !== 'info'));
    expect(validateAsyncApi(withoutInfo)).toBe(false);
    expect(validateAsyncApi({ ...committed, operations: { bad: { action: 'publish', channel: { $ref: '#/channels/commands' } } } })).toBe(false);
  });

  it('resolves every $ref inside itself', () => {
    const refs = refsIn(committed);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(resolvePointer(committed, ref), ref).toBeDefined();
  });

  it('declares exactly the parameters each channel address uses', () => {
    for (const [name, c] of Object.entries(doc.channels)) {
      const placeholders = [...(c.address ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(Object.keys(c.parameters ?? {}).sort(), name).toEqual([...placeholders].sort());
    }
  });

  it("lets each operation use only its own channel's messages (and its reply channel's)", () => {
    for (const [name, op] of Object.entries(doc.operations)) {
      for (const m of op.messages) expect(m.$ref.startsWith(`${op.channel.$ref}/messages/`), `${name}: ${m.$ref}`).toBe(true);
      for (const m of op.reply?.messages ?? []) expect(m.$ref.startsWith(`${op.reply?.channel.$ref ?? ''}/messages/`), `${name} reply: ${m.$ref}`).toBe(true);
    }
  });
});

describe('docs/asyncapi.yaml says what the code does', () => {
  const namespace = Namespace.make('shop_eu');
  const names = makeNames(namespace, { shards: Shards.make(16) });
  const sku = Sku.make('ABC-123');
  const shard = Shard.make(5);

  it('has the subjects makeNames builds, for any namespace, shard, kind and SKU', () => {
    for (const kind of StockEventKinds) expect(fill(channel('stockEvents').address, { namespace, kind, sku })).toBe(names.stock.subject(kind, sku));
    expect(fill(channel('commandRequests').address, { namespace, shard: String(shard) })).toBe(names.requests.subject(shard));
    expect(fill(channel('commands').address, { namespace, shard: String(names.shardOf(sku)), sku })).toBe(names.commands.subject(sku));
    expect(fill(doc.operations['answerCommandRequest']?.bindings?.nats.queue ?? null, { namespace, shard: String(shard) })).toBe(names.requests.queueGroup(shard));
  });

  // The document's payload schemas, compiled from the document itself (its refs point into components).
  const payloadValidator = (() => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(committed, 'urn:larder:asyncapi');
    return (name: string) => {
      const validate = ajv.getSchema(`urn:larder:asyncapi#/components/schemas/${name}`);
      if (validate === undefined) throw new Error(`no schema ${name}`);
      return (bytes: Uint8Array) => {
        const valid = validate(JSON.parse(new TextDecoder().decode(bytes)));
        return valid === true ? 'valid' : JSON.stringify(validate.errors);
      };
    };
  })();

  it.prop('accepts every stock event the code encodes', [StockPublicEvent], ([event]) => {
    expect(payloadValidator('StockPublicEvent')(encodeStockPublicEvent(event))).toBe('valid');
  });

  it.prop('accepts every command message the code encodes', [Command], ([command]) => {
    expect(payloadValidator('CommandMessage')(encodeCommandMessage({ v: 1, command }))).toBe('valid');
  });

  it.prop('accepts every reply batch the code encodes', [ReplyOutcome], ([outcome]) => {
    expect(payloadValidator('ReplyBatch')(encodeReplyBatch({ v: 1, items: [{ id: 'a', outcome }] }))).toBe('valid');
  });

  it('accepts a request batch the code encodes, and refuses what the code refuses', () => {
    const deadline = EpochMillis.make(reserve.now + 2_000);
    const batch = encodeRequestBatch({ v: 1, items: [{ id: '1', command: reserve, deadline }, { id: '2', command: restock, deadline }, { id: '3', command: sale, deadline }] });
    expect(payloadValidator('RequestBatch')(batch)).toBe('valid');
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(payloadValidator('RequestBatch')(bytes({ v: 2, items: [{ id: '1', command: reserve, deadline }] }))).not.toBe('valid');
    expect(payloadValidator('RequestBatch')(bytes({ v: 1, items: [] }))).not.toBe('valid');
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(payloadValidator('RequestBatch')(encodeRequestBatch({ v: 1, items: [{ id: '1', command: reserve, deadline, traceparent }] }))).toBe('valid');
    expect(payloadValidator('RequestBatch')(bytes({ v: 1, items: [{ id: '1', command: reserve, deadline, traceparent: 'x' }] }))).not.toBe('valid');
    expect(payloadValidator('StockPublicEvent')(bytes({ v: 1, kind: 'bogus' }))).not.toBe('valid');
  });
});
