// One ledger test's own world on the real services: a namespace with the journal stream (INV_EVT) and a
// Postgres schema with the migrations applied; publishing to the journal, reading the ledger and lost demand, running
// projectors in scopes with their logs captured; `close` stops them and deletes the streams and the schema.
import { encodeEventBatch, makeNames, Namespace, Shards, streamConfigs, defaultTopologyOptions, type EventBatch, type Names } from '@larder/messaging';
import { LostDemandRow, makeLedgerStore, makeOrmConfig, migrate, queryRows, type LedgerRow, type LedgerStoreShape } from '@larder/persistence';
import { deleteNamespaceStreams, dropPostgresSchema, makeTestNamespace } from '@larder/testing';
import { MikroORM } from '@mikro-orm/postgresql';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Sku } from '@larder/domain';
import { Effect, Exit, Logger, LogLevel, Schema, Scope } from 'effect';
import { defaultLedgerPolicy, type LedgerPolicy } from '../../../src/Ledger/LedgerPolicy.js';
import { startLedgerProjector, type LedgerProjector } from '../../../src/Ledger/LedgerProjector.js';

export interface CapturedLog {
  readonly level: string;
  readonly message: string;
}

export interface LedgerWorld {
  readonly names: Names;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly store: LedgerStoreShape;
  readonly logs: Array<CapturedLog>;
  /** Appends a batch to the SKU's journal subject; resolves with its journal sequence. */
  readonly publish: (batch: EventBatch) => Promise<number>;
  readonly publishBytes: (sku: Sku, bytes: Uint8Array) => Promise<number>;
  /** The SKU's ledger, oldest first. */
  readonly rowsOf: (sku: string) => Promise<ReadonlyArray<LedgerRow>>;
  /** The SKU's `lost_demand` rows, by seq then location. */
  readonly lostDemandOf: (sku: string) => Promise<ReadonlyArray<LostDemandRow>>;
  /** Starts a projector (like one runner's) with this store, or another one in front of it. */
  readonly startProjector: (store?: LedgerStoreShape, policy?: Partial<LedgerPolicy>) => Promise<LedgerProjector>;
  readonly close: () => Promise<void>;
}

const BigintText = Schema.NumberFromString.pipe(Schema.int());
const decodeLost = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ ...LostDemandRow.fields, seq: BigintText, at: BigintText })));
const lostSql = `select "seq"::text as "seq", "location", "customer", "sku", (extract(epoch from "at") * 1000)::bigint::text as "at", "units", "refusals"
  from lost_demand where "sku" = ? order by "seq", "location", "customer"`;

const messageOf = (message: unknown) => (Array.isArray(message) ? message.map(String).join(' ') : String(message));

export const openLedgerWorld = async (nc: NatsConnection, databaseUrl: string): Promise<LedgerWorld> => {
  const ns = makeTestNamespace();
  const names = makeNames(Namespace.make(ns.nats), { shards: Shards.make(4) });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const journal = streamConfigs(names, defaultTopologyOptions).find((c) => c.name === names.journal.stream);
  if (journal === undefined) throw new Error('no journal stream in the topology');
  await jsm.streams.add(journal);
  const orm = await MikroORM.init(makeOrmConfig({ url: databaseUrl, schema: ns.postgresSchema }));
  await migrate(orm);
  const store = makeLedgerStore(orm);
  const logs: Array<CapturedLog> = [];
  const capture = Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message }) => void logs.push({ level: logLevel.label, message: messageOf(message) })),
  );
  const scopes: Array<Scope.CloseableScope> = [];

  const publishBytes = async (sku: Sku, bytes: Uint8Array) => (await js.publish(names.journal.subject(sku), bytes)).seq;
  const rowsOf = async (sku: string) => {
    const page = await Effect.runPromise(store.page({ sku, limit: 10_000 }));
    return [...page.entries].reverse();
  };
  const lostDemandOf = async (sku: string) => decodeLost(await queryRows(orm, lostSql, [sku]));
  const startProjector = async (over: LedgerStoreShape = store, policy: Partial<LedgerPolicy> = {}) => {
    const scope = Effect.runSync(Scope.make());
    scopes.push(scope);
    return Effect.runPromise(
      startLedgerProjector({ js, jsm, names, store: over, policy: { ...defaultLedgerPolicy, ...policy } }).pipe(
        Scope.extend(scope),
        Effect.provide(capture),
        Logger.withMinimumLogLevel(LogLevel.Debug),
      ),
    );
  };
  const close = async () => {
    for (const scope of scopes.reverse()) await Effect.runPromise(Scope.close(scope, Exit.void));
    await orm.close(true);
    await dropPostgresSchema(databaseUrl, ns.postgresSchema);
    await deleteNamespaceStreams(nc, ns.nats);
  };
  return {
    names,
    js,
    jsm,
    store,
    logs,
    publish: (batch) => publishBytes(batch.events[0].sku, encodeEventBatch(batch)),
    publishBytes,
    rowsOf,
    lostDemandOf,
    startProjector,
    close,
  };
};

/** Polls until the condition holds (a condition that throws counts as not yet); fails after `timeoutMs`. */
export const waitUntil = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const holds = await Promise.resolve()
      .then(condition)
      .catch(() => false);
    if (holds) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

