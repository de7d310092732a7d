// Builds Larder's AsyncAPI 3.0 document (docs/asyncapi.yaml) from the code itself: channel addresses
// from makeNames, payload schemas from the codecs' Effect Schemas (JSONSchema.fromAST), header names
// from HeaderNames. `npm run docs:asyncapi` writes it; libs/messaging/test/AsyncApi.test.ts keeps it in step.
import { Sku } from '@larder/domain';
import { JSONSchema, Schema } from 'effect';
import { stringify } from 'yaml';
import {
  CommandMessage,
  CurrentWireVersion,
  DefaultNamespace,
  DropEventKinds,
  DropPublicEvent,
  LotEventKinds,
  LotPublicEvent,
  NotifyPublicEvent,
  DefaultShards,
  HeaderNames,
  makeNames,
  MaxShards,
  NamespacePattern,
  ProcessId,
  ReplyBatch,
  RequestBatch,
  Shard,
  shardOf,
  Shards,
  StockEventKinds,
  StockPublicEvent,
} from '../src/index.js';

/** Sample values turned back into `{parameter}`s: each is one whole subject token no fixed token equals. */
const sample = {
  sku: Schema.decodeSync(Sku)('SAMPLE-SKU'),
  shard: Shard.make(MaxShards - 1),
  processId: ProcessId.make('SAMPLE-PROCESS'),
  kind: 'shortfall',
  dropKind: 'soldout',
  dropId: 'SAMPLE-DROP',
  lotKind: 'expiring',
} as const;
const names = makeNames(DefaultNamespace, { shards: Shards.make(MaxShards) });

/** A subject (or queue group) built by makeNames, with the sample tokens replaced by `{parameter}`s. */
export const template = (built: string, parameters: Readonly<Record<string, string>>, separator: '.' | '_' = '.') => {
  const byValue = new Map<string, string>(Object.entries({ namespace: String(DefaultNamespace), ...parameters }).map(([name, value]) => [value, `{${name}}`]));
  return built
    .split(separator)
    .map((token) => byValue.get(token) ?? token)
    .join(separator);
};

const commandSku = names.shardOf(sample.sku);
const addresses = {
  stock: template(names.stock.subject(sample.kind, sample.sku), { kind: sample.kind, sku: sample.sku }),
  drop: template(names.stock.dropSubject(sample.dropKind, sample.dropId, sample.sku), { dropKind: sample.dropKind, dropId: sample.dropId, sku: sample.sku }),
  lot: template(names.stock.lotSubject(sample.lotKind, sample.sku), { lotKind: sample.lotKind, sku: sample.sku }),
  notify: template(names.stock.notifySubject(sample.sku), { sku: sample.sku }),
  requests: template(names.requests.subject(sample.shard), { shard: String(sample.shard) }),
  commands: template(names.commands.subject(sample.sku), { shard: String(commandSku), sku: sample.sku }),
  queueGroup: template(names.requests.queueGroup(sample.shard), { shard: String(sample.shard) }, '_'),
  inbox: template(names.inbox.wildcard(sample.processId), { processId: sample.processId }),
  stockStream: names.stock.stream.replace(DefaultNamespace.toUpperCase(), '{NAMESPACE}'),
  commandStream: names.commands.stream.replace(DefaultNamespace.toUpperCase(), '{NAMESPACE}'),
};

const exampleSku = Schema.decodeSync(Sku)('JERKY-TERIYAKI-50G');

const parameters = {
  namespace: {
    description: `LARDER_NAMESPACE of the deployment (${NamespacePattern.source}); every process of a deployment uses the same.`,
    default: DefaultNamespace,
    examples: [DefaultNamespace],
  },
  shard: {
    description: `The shard that owns the SKU: fnv1a32(sku) mod LARDER_SHARDS (default ${DefaultShards}), 0 to LARDER_SHARDS − 1.`,
    examples: ['0', String(shardOf(exampleSku, DefaultShards))],
  },
  sku: {
    description: 'The SKU: 1–64 letters, digits, "_" or "-", starting with a letter or digit (never ".", "*" or ">").',
    examples: [exampleSku],
  },
  kind: {
    description: 'What happened: changed, low, out, back or shortfall (the event\'s `kind`).',
    enum: [...StockEventKinds],
  },
  dropKind: {
    description: 'What happened to the drop at this SKU: opened, soldout or closed (the event\'s `kind`).',
    enum: [...DropEventKinds],
  },
  dropId: {
    description: 'The drop (PUT /v1/drops/{dropId}): the SKU format, 1–64 letters, digits, "_" or "-".',
    examples: ['ghost-pepper-friday'],
  },
  lotKind: {
    description: 'What happened to the lot: expiring, removed, quarantined or released (the event\'s `kind`).',
    enum: [...LotEventKinds],
  },
} as const;

/** Payload schemas: one entry per message, their shared definitions beside them in components.schemas. */
const payloadSchemas = () => {
  const definitions: Record<string, JSONSchema.JsonSchema7> = {};
  const payloads = {
    StockPublicEvent: JSONSchema.fromAST(StockPublicEvent.ast, { definitions, definitionPath: '#/components/schemas/' }),
    DropPublicEvent: JSONSchema.fromAST(DropPublicEvent.ast, { definitions, definitionPath: '#/components/schemas/' }),
    LotPublicEvent: JSONSchema.fromAST(LotPublicEvent.ast, { definitions, definitionPath: '#/components/schemas/' }),
    NotifyPublicEvent: JSONSchema.fromAST(NotifyPublicEvent.ast, { definitions, definitionPath: '#/components/schemas/' }),
    RequestBatch: JSONSchema.fromAST(RequestBatch.ast, { definitions, definitionPath: '#/components/schemas/' }),
    ReplyBatch: JSONSchema.fromAST(ReplyBatch.ast, { definitions, definitionPath: '#/components/schemas/' }),
    CommandMessage: JSONSchema.fromAST(CommandMessage.ast, { definitions, definitionPath: '#/components/schemas/' }),
  };
  for (const name of Object.keys(payloads)) if (name in definitions) throw new Error(`a shared definition is also named ${name}`);
  return { ...definitions, ...payloads };
};

const header = (description: string) => ({ type: 'string', description });
const headers = (properties: Record<string, ReturnType<typeof header>>, required: ReadonlyArray<string>) => ({
  type: 'object',
  required: [...required],
  properties,
});

const sampleEvent = Schema.decodeUnknownSync(StockPublicEvent)({
  v: CurrentWireVersion,
  kind: 'low',
  sku: exampleSku,
  location: 'main',
  onHand: 12,
  reserved: 4,
  available: 3,
  safetyStock: 5,
  seq: 1042,
  at: 1_767_225_600_000,
});

const sampleDropEvent = Schema.decodeUnknownSync(DropPublicEvent)({
  v: CurrentWireVersion,
  kind: 'soldout',
  dropId: 'ghost-pepper-friday',
  sku: exampleSku,
  location: 'main',
  opensAt: 1_767_225_600_000,
  closesAt: 1_767_229_200_000,
  allocation: 500,
  held: 312,
  committed: 188,
  remaining: 0,
  returned: 0,
  buyers: 263,
  refusedCustomers: 0,
  refusedUnits: 0,
  seq: 20_931,
  at: 1_767_225_641_380,
});

const sampleLotEvent = Schema.decodeUnknownSync(LotPublicEvent)({
  v: CurrentWireVersion,
  kind: 'quarantined',
  sku: exampleSku,
  lot: 'L2611-A',
  bestBefore: '2027-06-30',
  location: 'main',
  units: 40,
  note: 'supplier notice 4411: possible foreign material',
  seq: 31_877,
  at: 1_767_312_000_000,
});

const sampleNotifyEvent = Schema.decodeUnknownSync(NotifyPublicEvent)({
  v: CurrentWireVersion,
  kind: 'notify',
  sku: exampleSku,
  channel: null,
  customers: [
    { customerId: 'cus_8Hq2', requestedAt: 1_767_139_200_000 },
    { customerId: 'shopify:7731', requestedAt: 1_767_182_400_000 },
  ],
  batch: 1,
  batches: 1,
  back: { seq: 41_206, streamSeq: 90_114, at: 1_767_398_400_000 },
  at: 1_767_398_400_412,
});

const ref = (path: string) => ({ $ref: path });

/** The whole document, as plain data. */
export const asyncApiDocument = () => ({
  asyncapi: '3.0.0',
  info: {
    title: 'Larder shard runners and public stock events',
    version: `${CurrentWireVersion}.0.0`,
    description: [
      'The NATS subjects of Larder seen from its shard runners (apps/inventory-actors): the commands they',
      'receive from the sales API — batched requests that are answered, and stored async commands — and the',
      'public `stock.v1` events they publish for analysts. Every subject starts with the deployment\'s',
      `namespace. Payloads are JSON with a wire version \`v\` (now ${CurrentWireVersion}); a reader refuses a version it does not know.`,
      'Generated from libs/messaging by `npm run docs:asyncapi`; do not edit by hand.',
    ].join('\n'),
    license: { name: 'Proprietary' },
  },
  defaultContentType: 'application/json',
  servers: {
    development: {
      host: '127.0.0.1:4222',
      protocol: 'nats',
      description: 'A developer\'s NATS (deploy/compose.yaml, or nats-server -js): no credentials.',
    },
    production: {
      host: 'nats:4222',
      protocol: 'nats',
      description: 'The NATS cluster of a Kubernetes deployment (deploy/k8s, Service `nats` in namespace `larder`), users and permissions of deploy/nats/secure.',
      security: [ref('#/components/securitySchemes/natsUser')],
    },
  },
  channels: {
    stockEvents: {
      address: addresses.stock,
      title: 'Public stock events',
      description: `One message per change of a SKU's stock, kept by stream ${addresses.stockStream} (7 days). Analysts subscribe to \`{namespace}.stock.v1.>\` or one kind or SKU.`,
      parameters: { namespace: parameters.namespace, kind: parameters.kind, sku: parameters.sku },
      messages: { StockPublicEvent: ref('#/components/messages/StockPublicEvent') },
    },
    dropEvents: {
      address: addresses.drop,
      title: 'Public drop events',
      description: `One message per SKU of a drop when it opens (the first decision at or after \`opensAt\`), sells out (its allocation's last free unit is held) and closes (at \`closesAt\` or by an operator, the unsold units back to general stock), with the drop's figures at that SKU; kept by stream ${addresses.stockStream}. Subscribe to \`{namespace}.stock.v1.drop.>\`, or \`{namespace}.stock.v1.drop.*.{dropId}.>\` for one drop. A subscriber to \`{namespace}.stock.v1.>\` gets these too: tell them apart by the subject (or the \`dropId\` field).`,
      parameters: { namespace: parameters.namespace, dropKind: parameters.dropKind, dropId: parameters.dropId, sku: parameters.sku },
      messages: { DropPublicEvent: ref('#/components/messages/DropPublicEvent') },
    },
    lotEvents: {
      address: addresses.lot,
      title: 'Public lot events',
      description: `One message when a lot reaches its alert date (\`expiring\`, once per lot), and one per location when it leaves sale at its removal date (\`removed\`), is quarantined (\`quarantined\`, with the operator's note) or released (\`released\`); kept by stream ${addresses.stockStream}. Subscribe to \`{namespace}.stock.v1.lot.>\`.`,
      parameters: { namespace: parameters.namespace, lotKind: parameters.lotKind, sku: parameters.sku },
      messages: { LotPublicEvent: ref('#/components/messages/LotPublicEvent') },
    },
    notifyEvents: {
      address: addresses.notify,
      title: 'Notify-me: customers to tell that a SKU is back',
      description: `Published by the sales API (not a runner) when a \`stock.v1.back\` event of the SKU as a whole (\`scope: sku\`) or of a sales channel (\`scope: channel\`) arrives and customers wait for that scope (POST /v1/skus/{sku}/notify-requests): their ids, at most 500 per message (\`batch\` of \`batches\`); each waiting request is in one notification. Kept by stream ${addresses.stockStream}; a webhook endpoint subscribes with the type \`stock.v1.notify\`. Subscribe to \`{namespace}.stock.v1.notify.>\`.`,
      parameters: { namespace: parameters.namespace, sku: parameters.sku },
      messages: { NotifyPublicEvent: ref('#/components/messages/NotifyPublicEvent') },
    },
    commandRequests: {
      address: addresses.requests,
      title: 'Command requests to a shard owner',
      description:
        'Core NATS request/reply: every reserve, commit or release of one event-loop turn of an API instance for one shard, in one message. Only the runner holding the shard\'s lease subscribes; no subscriber means NATS "no responders".',
      parameters: { namespace: parameters.namespace, shard: parameters.shard },
      messages: { RequestBatch: ref('#/components/messages/RequestBatch') },
    },
    commandReplies: {
      address: null,
      title: 'Answers to command requests',
      description: `The request's reply subject: the caller's inbox, under \`${addresses.inbox}\`. Sent only after the events that justify the answers are stored in the journal.`,
      messages: { ReplyBatch: ref('#/components/messages/ReplyBatch'), BatchRefused: ref('#/components/messages/BatchRefused') },
    },
    commands: {
      address: addresses.commands,
      title: 'Stored async commands',
      description: `JetStream stream ${addresses.commandStream} (work queue, de-duplicated by \`${HeaderNames.messageId}\` for 2 minutes): orders reported after the fact, restocks, adjustments, returns, and commits whose owner did not answer in time. Each shard's owner consumes \`{namespace}.inv.cmd.{shard}.*\`.`,
      parameters: { namespace: parameters.namespace, shard: parameters.shard, sku: parameters.sku },
      messages: { CommandMessage: ref('#/components/messages/CommandMessage') },
    },
  },
  operations: {
    publishStockEvent: {
      action: 'send',
      channel: ref('#/channels/stockEvents'),
      summary: 'A runner publishes each change of a SKU it owns, in journal order.',
      messages: [ref('#/channels/stockEvents/messages/StockPublicEvent')],
    },
    publishDropEvent: {
      action: 'send',
      channel: ref('#/channels/dropEvents'),
      summary: 'A runner publishes each opening, sell-out and close of a drop at a SKU it owns, in journal order.',
      messages: [ref('#/channels/dropEvents/messages/DropPublicEvent')],
    },
    publishLotEvent: {
      action: 'send',
      channel: ref('#/channels/lotEvents'),
      summary: 'A runner publishes each alert, removal, quarantine and release of a lot of a SKU it owns, in journal order.',
      messages: [ref('#/channels/lotEvents/messages/LotPublicEvent')],
    },
    publishNotifyEvent: {
      action: 'send',
      channel: ref('#/channels/notifyEvents'),
      summary: 'An API instance (one of them, through the shared durable consumer `notify_back` on STOCK) marks the customers a back-in-stock event wakes notified, publishes them, then acknowledges the back event.',
      messages: [ref('#/channels/notifyEvents/messages/NotifyPublicEvent')],
    },
    answerCommandRequest: {
      action: 'receive',
      channel: ref('#/channels/commandRequests'),
      summary: 'The shard owner decides each item and answers the batch in one message.',
      messages: [ref('#/channels/commandRequests/messages/RequestBatch')],
      bindings: { nats: { queue: addresses.queueGroup, bindingVersion: '0.1.0' } },
      reply: {
        channel: ref('#/channels/commandReplies'),
        messages: [ref('#/channels/commandReplies/messages/ReplyBatch'), ref('#/channels/commandReplies/messages/BatchRefused')],
      },
    },
    applyCommand: {
      action: 'receive',
      channel: ref('#/channels/commands'),
      summary: 'The shard owner applies each stored command exactly once (by command id) and acknowledges it; poison messages go to the dead-letter stream.',
      messages: [ref('#/channels/commands/messages/CommandMessage')],
    },
  },
  components: {
    schemas: payloadSchemas(),
    messages: {
      StockPublicEvent: {
        name: 'StockPublicEvent',
        title: 'A change of stock',
        summary: 'The levels of one SKU at one location after a change; `seq` orders them per SKU.',
        contentType: 'application/json',
        headers: headers(
          { [HeaderNames.messageId]: header('`<sku>:<seq>:<kind>` (then `:<n>` for a further event of the same kind): JetStream drops a re-published duplicate.') },
          [HeaderNames.messageId],
        ),
        payload: ref('#/components/schemas/StockPublicEvent'),
        examples: [{ name: 'low', payload: Schema.encodeSync(StockPublicEvent)(sampleEvent) }],
      },
      DropPublicEvent: {
        name: 'DropPublicEvent',
        title: 'A drop opened, sold out or closed at one SKU',
        summary: 'The drop\'s figures at the SKU right after it (as `GET /v1/drops/{dropId}` gives them per SKU); `seq` orders them per SKU.',
        contentType: 'application/json',
        headers: headers(
          { [HeaderNames.messageId]: header('`<sku>:<seq>:drop.<kind>:<dropId>`: JetStream drops a re-published duplicate.') },
          [HeaderNames.messageId],
        ),
        payload: ref('#/components/schemas/DropPublicEvent'),
        examples: [{ name: 'soldout', payload: Schema.encodeSync(DropPublicEvent)(sampleDropEvent) }],
      },
      LotPublicEvent: {
        name: 'LotPublicEvent',
        title: 'A lot announced as expiring, removed from sale, quarantined or released',
        summary: 'The lot, its best-before, the location and the units that left (or came back to) sale; `seq` orders them per SKU.',
        contentType: 'application/json',
        headers: headers(
          { [HeaderNames.messageId]: header('`<sku>:<seq>:lot.<kind>:<lot>:<location>`: JetStream drops a re-published duplicate.') },
          [HeaderNames.messageId],
        ),
        payload: ref('#/components/schemas/LotPublicEvent'),
        examples: [{ name: 'quarantined', payload: Schema.encodeSync(LotPublicEvent)(sampleLotEvent) }],
      },
      NotifyPublicEvent: {
        name: 'NotifyPublicEvent',
        title: 'Customers to tell that a SKU is back',
        summary: 'The SKU, the channel waited for (null: the SKU as a whole), up to 500 customers with when they asked, and the back event that woke them.',
        contentType: 'application/json',
        headers: headers(
          { [HeaderNames.messageId]: header('`notify:<STOCK sequence of the back event>:<batch>`: a redelivered back event\'s batches are dropped as duplicates.') },
          [HeaderNames.messageId],
        ),
        payload: ref('#/components/schemas/NotifyPublicEvent'),
        examples: [{ name: 'sku back', payload: Schema.encodeSync(NotifyPublicEvent)(sampleNotifyEvent) }],
      },
      RequestBatch: {
        name: 'RequestBatch',
        title: 'A batch of commands for one shard',
        summary:
          'Items with an id unique in the batch, the command, the caller\'s deadline and, when the API traces, the W3C `traceparent` of that command\'s span (per item: one message carries the commands of many requests). Unknown fields refuse the batch.',
        contentType: 'application/json',
        payload: ref('#/components/schemas/RequestBatch'),
      },
      ReplyBatch: {
        name: 'ReplyBatch',
        title: 'The answers to a batch',
        summary: 'One outcome per item id: Accepted (with the levels after it), Rejected (final) or Retry (try again with the same command id).',
        contentType: 'application/json',
        payload: ref('#/components/schemas/ReplyBatch'),
      },
      BatchRefused: {
        name: 'BatchRefused',
        title: 'A batch the owner could not read',
        summary: 'Empty body; the reason in a header. Every item of the batch fails.',
        headers: headers({ [HeaderNames.reason]: header('Why the batch was refused (one line, at most 1000 characters).') }, [HeaderNames.reason]),
      },
      CommandMessage: {
        name: 'CommandMessage',
        title: 'One stored command',
        summary: 'A command for the SKU of the subject. Unknown fields dead-letter it.',
        contentType: 'application/json',
        headers: headers(
          {
            [HeaderNames.messageId]: header('The command id (the HTTP Idempotency-Key): a retried publish is stored once.'),
            [HeaderNames.traceParent]: header('W3C traceparent of the API\'s `publish inv.cmd` span; only when the API traces.'),
          },
          [HeaderNames.messageId],
        ),
        payload: ref('#/components/schemas/CommandMessage'),
      },
    },
    securitySchemes: {
      natsUser: {
        type: 'userPassword',
        description: 'NATS user and password (NATS_USER, NATS_PASSWORD): `api` may send commands, `runner` owns the rest, `analyst` may only subscribe to `{namespace}.stock.>`.',
      },
    },
  },
});

/** The document as committed: YAML, no line folding, so a change shows as a small diff. */
export const renderAsyncApi = (document: unknown = asyncApiDocument()): string =>
  `# Generated by \`npm run docs:asyncapi\` from libs/messaging (scripts/AsyncApiDocument.ts); do not edit.\n${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })}`;
