// The real Larder for `npm run demo:month`, on the local NATS, Postgres and Redis under a namespace,
// schema and Redis prefix of its own (as a test file makes them): one shard runner and one API instance,
// both in this process and both on the simulation's clock. `remove` stops them and deletes everything
// the namespace made.
import { createHash, randomBytes } from 'node:crypto';
import { deleteNamespaceStreams, deleteRedisKeys, dropPostgresSchema, freePort, makeTestNamespace, natsSpec, postgresSpec, probeTcp, redisSpec, type ServiceSpec, type TestNamespaceShape } from '@larder/testing';
import { connect } from '@nats-io/transport-node';
import { Clock, ConfigProvider, Effect, Exit, Logger, LogLevel, Scope } from 'effect';
import { Redis } from 'ioredis';
import { pino } from 'pino';
// The two apps are started in this process, as their own tests start them, because only there do they
// take a clock: the API stamps its commands with StartApiOptions.clock, and the runner's SKU owners
// re-stamp every command they decide with Effect's Clock, which is what the ledger's times come from.
// A tool importing apps is what the boundary rule forbids; these two entry points are the exception.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startApi } from '../../../../apps/api/src/Server.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startRunner } from '@larder/inventory-actors';

export interface SimulatedLarder {
  readonly namespace: TestNamespaceShape;
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly pollSecret: string;
  /** Stops the API, then the runner. */
  readonly stop: () => Promise<void>;
  /** `stop`, then deletes the namespace's streams and buckets, the Postgres schema and the Redis keys. */
  readonly remove: () => Promise<void>;
}

const specs = { nats: natsSpec, postgres: postgresSpec, redis: redisSpec };

const urlOf = (spec: ServiceSpec) => process.env[spec.envVar] ?? spec.defaultUrl;

const services = { nats: urlOf(natsSpec), postgres: urlOf(postgresSpec), redis: urlOf(redisSpec) };

/** The services that do not accept a connection, each with its URL. */
export const unreachableServices = async (): Promise<ReadonlyArray<string>> => {
  const down: Array<string> = [];
  for (const [name, spec] of Object.entries(specs)) {
    const url = urlOf(spec);
    const u = new URL(url.split(',')[0] ?? url);
    await probeTcp(u.hostname, Number(u.port || spec.defaultPort)).catch(() => down.push(`${name} at ${url}`));
  }
  return down;
};

const realClock = Clock.make();

/**
 * Effect's Clock reading the simulation's time; sleeps (schedules, timeouts) stay on real time. Hold
 * expiry is ticked by the runner's wall clock: the simulation keeps no hold.
 */
const simulatedClock = (now: () => number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: now,
  currentTimeMillis: Effect.sync(now),
  unsafeCurrentTimeNanos: () => BigInt(Math.floor(now())) * 1_000_000n,
  currentTimeNanos: Effect.sync(() => BigInt(Math.floor(now())) * 1_000_000n),
  sleep: (duration) => realClock.sleep(duration),
});

/** Effect's log lines (the runner's) on stderr, warnings and worse: stdout is the report's. */
const quietLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))),
    Logger.withMinimumLogLevel(LogLevel.Warning),
  );

export const startSimulatedLarder = async (clock: () => number, log: (line: string) => void): Promise<SimulatedLarder> => {
  const namespace = makeTestNamespace();
  const apiKey = `lk_month_${randomBytes(18).toString('base64url')}`;
  const pollSecret = randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    NATS_URL: services.nats,
    DATABASE_URL: services.postgres,
    REDIS_URL: services.redis,
    LARDER_NAMESPACE: namespace.nats,
    LARDER_SHARDS: '4',
    LARDER_DB_SCHEMA: namespace.postgresSchema,
    LARDER_REDIS_PREFIX: namespace.redisPrefix,
  };
  // Closed in reverse: the API, then the runner (it drains its shards).
  const scope = Effect.runSync(Scope.make());
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Effect.runPromise(Scope.close(scope, Exit.void));
  };
  const remove = async () => {
    await stop();
    const nc = await connect({ servers: services.nats.split(',') });
    await deleteNamespaceStreams(nc, namespace.nats);
    await nc.close();
    await dropPostgresSchema(services.postgres, namespace.postgresSchema);
    const redis = new Redis(services.redis);
    await deleteRedisKeys(redis, namespace.redisPrefix);
    await redis.quit();
  };
  try {
    // The runner first: it creates the NATS topology and migrates the schema the API then uses.
    log(`starting a shard runner in this process (namespace ${namespace.nats})…`);
    await Effect.runPromise(
      quietLogs(startRunner).pipe(Effect.withClock(simulatedClock(clock)), Scope.extend(scope), Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))),
    );
    const port = Number(process.env['PORT'] ?? (await freePort()));
    const provider = ConfigProvider.fromMap(
      new Map(
        Object.entries({
          ...env,
          HOST: '127.0.0.1',
          PORT: String(port),
          LARDER_API_KEYS: JSON.stringify([{ name: 'demo-month', sha256: createHash('sha256').update(apiKey).digest('hex'), scopes: ['admin'] }]),
          LARDER_POLL_SIGNING_SECRET: pollSecret,
        }),
      ),
    );
    log('starting the API in this process, on the simulated clock…');
    const apiLog = pino({ name: 'larder-api', level: process.env['LOG_LEVEL'] ?? 'warn' }, pino.destination(2));
    const api = await Effect.runPromise(startApi(apiLog, { clock }).pipe(Scope.extend(scope), Effect.withConfigProvider(provider)));
    return { namespace, apiUrl: api.url, apiKey, pollSecret, stop, remove };
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }
};
