// A test file's own Larder on the real NATS, Postgres and Redis: a fresh namespace, schema and
// Redis prefix; one shard runner as a child process; API instances in this process on their own
// ports; keys per scope; helpers over real HTTP; and cleanup of everything it made.
import { Actor, CommandId, EpochMillis, LocationId, Quantity, Reference, Sku, type Command } from '@larder/domain';
import { makeNames, makeRequestClient, Namespace, ProcessId, Shards, type Names, type ReplyOutcome, type RequestClient } from '@larder/messaging';
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
import { connect, nuid, type NatsConnection } from '@nats-io/transport-node';
import { ConfigProvider, Effect, Either, Exit, Schema, Scope } from 'effect';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startApi, type StartApiOptions } from '../../src/Server.js';
import { decodeBody, StockBody } from './Bodies.js';
import { makeApiClient, type ApiClient } from './HttpClient.js';
import { makeTestCredentials, type TestCredentials } from './TestCredentials.js';

export const SHARDS = 4;


export interface ApiInstance extends ApiClient {
  /** Closes this instance (scope): stops listening, then closes its connections. */
  readonly stop: () => Promise<void>;
}

export interface SystemFixture extends TestCredentials {
  /** The first API instance. */
  readonly api: ApiInstance;
  /** The shard runner of this moment (it changes with `restartRunner`). */
  readonly runner: () => LarderProcess;
  /** Stops the runner (drains, like SIGTERM in production): no shard has an owner until `startRunner`. */
  readonly stopRunner: () => Promise<void>;
  readonly startRunner: () => Promise<void>;
  /** One more runner with these overrides (e.g. `LARDER_OWNED_SHARDS`), stopped by `cleanup` unless stopped or killed before. */
  readonly startExtraRunner: (overrides: Record<string, string>) => Promise<LarderProcess>;
  readonly redis: Redis;
  readonly redisPrefix: string;
  /** Another API instance on its own port, sharing the namespace; `clock` replaces its Date.now. */
  readonly startApiInstance: (overrides?: Record<string, string>, options?: StartApiOptions) => Promise<ApiInstance>;
  /** The environment the runner and API instances are started with (URLs, namespace, schema, prefix). */
  readonly serviceEnv: Readonly<Record<string, string>>;
  /** Polls GET /v1/stock/:sku on `api` until the projection satisfies `predicate`; returns that view. */
  readonly waitForStock: (sku: string, predicate: (view: StockBody) => boolean, api?: ApiClient) => Promise<StockBody>;
  /** The same, decoding the answer with the test's own schema (e.g. one with lots or channels). */
  readonly waitForStockAs: <A, I>(schema: Schema.Schema<A, I>, sku: string, predicate: (view: A) => boolean, api?: ApiClient) => Promise<A>;
  /**
   * Puts stock in place through the write path itself (a Restock on the request path), not HTTP;
   * returns the view as of that restock, so a seed is also a barrier: every earlier change is in it.
   */
  readonly seedStock: (sku: string, qty: number, location?: string) => Promise<StockBody>;
  /** Sends one command to its owner over the write path itself (not HTTP: e.g. a hold shorter than the API allows); its answer. */
  readonly send: (command: Command) => Promise<ReplyOutcome>;
  readonly cleanup: () => Promise<void>;
  /** The fixture's own NATS connection and the namespace's names (to read or write its buckets directly). */
  readonly nc: NatsConnection;
  readonly names: Names;
}

/** Resolves when `work` settles or after `ms`, whichever comes first; never rejects. */
const bounded = (work: Promise<unknown>, ms: number) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    void work.catch(() => undefined).finally(() => {
      clearTimeout(timer);
      done();
    });
  });

/** A shard runner of apps/inventory-actors, started by file path: the API may not import that app. */
const startRunnerProcess = (env: Readonly<Record<string, string>>) =>
  startLarderProcess({ name: 'runner', entry: 'apps/inventory-actors/src/main.ts', env: { ...env, LOG_LEVEL: 'info' }, ready: '"runner ready"' });

let counter = 0;
/** A SKU unique to this run, readable in logs. */
export const uniqueSku = (label: string) => `${label}-${nuid.next().slice(-8)}-${++counter}`;

export const makeSystemFixture = async (
  options: {
    readonly apiOverrides?: Record<string, string>;
    /** Overrides of the runner's (and the API's) environment, e.g. REDIS_URL of a private Redis. */
    readonly env?: Record<string, string>;
  } = {},
): Promise<SystemFixture> => {
  const [nats, pg, redisService] = await Promise.all([requireNats(), requirePostgres(), requireRedis()]);
  const ns = makeTestNamespace();
  const names = makeNames(Namespace.make(ns.nats), { shards: Shards.make(SHARDS) });
  const env: Record<string, string> = {
    NATS_URL: nats.url,
    DATABASE_URL: pg.url,
    REDIS_URL: redisService.url,
    LARDER_NAMESPACE: ns.nats,
    LARDER_SHARDS: String(SHARDS),
    LARDER_DB_SCHEMA: ns.postgresSchema,
    LARDER_REDIS_PREFIX: ns.redisPrefix,
    ...options.env,
  };
  const credentials = makeTestCredentials();
  const apiStops: Array<() => Promise<void>> = [];
  let runner: LarderProcess | undefined;
  const extraRunners: Array<LarderProcess> = [];
  const redis = new Redis(redisService.url);
  let nc: NatsConnection | undefined;
  let client: RequestClient | undefined;

  const cleanup = async () => {
    // API instances first (they stop taking requests), then the runner; none may hold up the rest.
    await Promise.all(apiStops.map((stop) => bounded(stop(), 10_000)));
    await Promise.all([runner?.stop(), ...extraRunners.map((r) => r.stop())]);
    client?.close();
    const cleaner = nc ?? (await connect({ servers: nats.url }));
    await deleteNamespaceStreams(cleaner, ns.nats);
    await cleaner.close();
    await dropPostgresSchema(pg.url, ns.postgresSchema);
    await deleteRedisKeys(redis, ns.redisPrefix);
    await redis.quit();
  };

  try {
    // The runner first: it creates the topology and migrates the schema the API instances then share.
    let current = await startRunnerProcess(env);
    runner = current;

    const log = pino({ name: 'larder-api-test', level: 'error' });
    const startApiInstance = async (overrides: Record<string, string> = {}, apiOptions: StartApiOptions = {}): Promise<ApiInstance> => {
      const port = await freePort();
      const provider = ConfigProvider.fromMap(
        new Map(Object.entries({ ...env, ...credentials.env, HOST: '127.0.0.1', PORT: String(port), ...ApiWithoutShedding, ...options.apiOverrides, ...overrides })),
      );
      const scope = Effect.runSync(Scope.make());
      const instance = await Effect.runPromise(startApi(log, apiOptions).pipe(Scope.extend(scope), Effect.withConfigProvider(provider)));
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await Effect.runPromise(Scope.close(scope, Exit.void));
      };
      apiStops.push(stop);
      return { ...makeApiClient(instance.url, credentials.keys.admin), stop };
    };
    const api = await startApiInstance();

    const processId = ProcessId.make(`api-test-${nuid.next()}`);
    const connection = await connect({ servers: nats.url, inboxPrefix: names.inbox.prefix(processId) });
    nc = connection;
    client = makeRequestClient(nc, names, { inboxPrefix: names.inbox.prefix(processId) });
    const requests = client;

    const waitForStockAs = async <A, I>(schema: Schema.Schema<A, I>, sku: string, predicate: (view: A) => boolean, on: ApiClient = api): Promise<A> => {
      const deadline = Date.now() + 20_000;
      let last = 'nothing yet';
      while (Date.now() < deadline) {
        const answer = await on.get(`/v1/stock/${encodeURIComponent(sku)}`);
        if (answer.status === 200) {
          const view = decodeBody(schema, answer);
          if (predicate(view)) return view;
        }
        last = `${answer.status} ${answer.text}`;
        await new Promise((done) => setTimeout(done, 25));
      }
      throw new Error(`the stock view of ${sku} never satisfied the predicate; last answer: ${last}`);
    };
    const waitForStock = (sku: string, predicate: (view: StockBody) => boolean, on: ApiClient = api) => waitForStockAs(StockBody, sku, predicate, on);

    const send = async (command: Command): Promise<ReplyOutcome> => {
      const outcome = await Effect.runPromise(Effect.either(requests.send(command, Date.now() + 10_000)));
      if (Either.isLeft(outcome)) throw new Error(`${command._tag} ${command.commandId} was not answered: ${JSON.stringify(outcome.left)}`);
      return outcome.right;
    };

    const seedStock = async (sku: string, qty: number, location?: string) => {
      const command: Command = {
        _tag: 'Restock',
        commandId: CommandId.make(`seed-${nuid.next()}`),
        actor: Actor.make('service:api-test'),
        now: EpochMillis.make(Date.now()),
        sku: Sku.make(sku),
        qty: Quantity.make(qty),
        reference: Reference.make('seed'),
        ...(location === undefined ? {} : { location: LocationId.make(location) }),
      };
      // A `Retry` answer (the shard moving, as a starved runner's lease lapses on a busy machine) is sent
      // again, as a client would; the same command id makes it one restock.
      const deadline = Date.now() + 30_000;
      let outcome = await Effect.runPromise(Effect.either(requests.send(command, Date.now() + 10_000)));
      while (Either.isRight(outcome) && outcome.right._tag === 'Retry' && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 250));
        outcome = await Effect.runPromise(Effect.either(requests.send(command, Date.now() + 10_000)));
      }
      if (Either.isLeft(outcome) || outcome.right._tag !== 'Accepted') {
        throw new Error(`seeding ${qty} of ${sku} was not accepted: ${JSON.stringify(Either.isLeft(outcome) ? outcome.left : outcome.right)}`);
      }
      // The journal sequence of its append: the view of that version is the state right after the seed.
      const seq = outcome.right.seq ?? 0;
      return waitForStock(sku, (v) => v.version >= seq);
    };

    return {
      ...credentials,
      api,
      runner: () => current,
      stopRunner: async () => {
        await current.stop();
        runner = undefined;
      },
      startRunner: async () => {
        current = await startRunnerProcess(env);
        runner = current;
      },
      startExtraRunner: async (overrides) => {
        const extra = await startRunnerProcess({ ...env, ...overrides });
        extraRunners.push(extra);
        return extra;
      },
      redis,
      redisPrefix: ns.redisPrefix,
      nc: connection,
      names,
      serviceEnv: env,
      startApiInstance,
      waitForStock,
      waitForStockAs,
      seedStock,
      send,
      cleanup,
    };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
};
