// A test file's own Larder write path on the real services: a fresh namespace, Postgres schema and
// Redis prefix; runners in-process (Effect scope) or as child processes (for crashes); a request
// client and a JetStream client like the API's; and cleanup of everything it made.
import { Actor, CommandId, EpochMillis, type Command, type Sku } from '@larder/domain';
import {
  encodeCommandMessage,
  makeNames,
  makeRequestClient,
  Namespace,
  ProcessId,
  Shards,
  type Names,
  type ReplyOutcome,
  type RequestClient,
  type RequestFailure,
} from '@larder/messaging';
import {
  deleteNamespaceStreams,
  deleteRedisKeys,
  dropPostgresSchema,
  makeTestNamespace,
  requireNats,
  requirePostgres,
  requireRedis,
  startLarderProcess,
  type LarderProcess,
} from '@larder/testing';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nuid, type NatsConnection } from '@nats-io/transport-node';
import { ConfigProvider, Effect, Either, Exit, Scope } from 'effect';
import { Redis } from 'ioredis';
import { startRunner } from '../../src/Runner.js';

export interface RunnerFixture {
  readonly names: Names;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly client: RequestClient;
  readonly env: Readonly<Record<string, string>>;
  /** A runner in this process; `stop()` drains it like SIGTERM would. */
  readonly startInProcess: (overrides?: Record<string, string>) => Promise<{ readonly stop: () => Promise<void> }>;
  /** A runner as a child process (real SIGKILL / SIGTERM). */
  readonly startChild: (overrides?: Record<string, string>, readyTimeoutMs?: number) => Promise<LarderProcess>;
  /** Sends a command on the request path and waits (deadline `ms`). */
  readonly request: (command: Command, ms?: number) => Promise<Either.Either<ReplyOutcome, RequestFailure>>;
  /** Publishes an async command to INV_CMD (deduplicated by its command id); resolves on the PubAck. */
  readonly publish: (command: Command) => Promise<void>;
  readonly cleanup: () => Promise<void>;
}

export const SHARDS = 4;
let counter = 0;
/** A fresh command id; unique across runs. */
export const commandId = (label = 'c'): CommandId => CommandId.make(`${label}-${nuid.next()}-${++counter}`);
export const testActor = Actor.make('service:test');
export const now = () => EpochMillis.make(Date.now());

export interface RunnerFixtureOptions {
  /** A private nats-server or cluster (comma-separated URLs) instead of the shared one. */
  readonly natsUrl?: string;
}

export const makeRunnerFixture = async (options: RunnerFixtureOptions = {}): Promise<RunnerFixture> => {
  const [shared, pg, redis] = await Promise.all([
    options.natsUrl === undefined ? requireNats() : Promise.resolve({ url: options.natsUrl }),
    requirePostgres(),
    requireRedis(),
  ]);
  const nats = { url: shared.url };
  const ns = makeTestNamespace();
  const names = makeNames(Namespace.make(ns.nats), { shards: Shards.make(SHARDS) });
  const env: Record<string, string> = {
    NATS_URL: nats.url,
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    LARDER_NAMESPACE: ns.nats,
    LARDER_SHARDS: String(SHARDS),
    LARDER_DB_SCHEMA: ns.postgresSchema,
    LARDER_REDIS_PREFIX: ns.redisPrefix,
    LOG_LEVEL: 'warn',
  };
  const processId = ProcessId.make(`test-${nuid.next()}`);
  const nc = await connect({ servers: nats.url.split(','), inboxPrefix: names.inbox.prefix(processId), maxReconnectAttempts: -1 });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const client = makeRequestClient(nc, names, { inboxPrefix: names.inbox.prefix(processId) });
  const stops: Array<() => Promise<void>> = [];

  const startInProcess = async (overrides: Record<string, string> = {}) => {
    const scope = Effect.runSync(Scope.make());
    const provider = ConfigProvider.fromMap(new Map(Object.entries({ ...env, ...overrides })));
    await Effect.runPromise(startRunner.pipe(Scope.extend(scope), Effect.withConfigProvider(provider)));
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await Effect.runPromise(Scope.close(scope, Exit.void));
    };
    stops.push(stop);
    return { stop };
  };

  // A runner may wait a lease TTL for its share, and CI machines are busy: a generous default.
  const startChild = async (overrides: Record<string, string> = {}, readyTimeoutMs = 60_000) => {
    const child = await startLarderProcess({
      name: 'runner',
      entry: 'apps/inventory-actors/src/main.ts',
      env: { ...env, LOG_LEVEL: 'info', ...overrides },
      ready: '"runner ready"',
      readyTimeoutMs,
    });
    stops.push(() => child.kill('SIGKILL'));
    return child;
  };

  return {
    names,
    nc,
    js,
    jsm,
    client,
    env,
    startInProcess,
    startChild,
    request: (command, ms = 5_000) => Effect.runPromise(Effect.either(client.send(command, Date.now() + ms))),
    publish: async (command) => {
      await js.publish(names.commands.subject(command.sku), encodeCommandMessage({ v: 1, command }), { msgID: command.commandId });
    },
    cleanup: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      client.close();
      // A private NATS (a test's own servers, `natsUrl`) goes away with its store; after a fault test its
      // JetStream API may still be electing leaders, and a delete there would only time out.
      if (options.natsUrl === undefined) await deleteNamespaceStreams(nc, ns.nats);
      await nc.close();
      await dropPostgresSchema(pg.url, ns.postgresSchema);
      const r = new Redis(redis.url);
      await deleteRedisKeys(r, ns.redisPrefix);
      await r.quit();
    },
  };
};

export type { Sku };
