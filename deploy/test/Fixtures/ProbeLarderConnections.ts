// A child-process entry (started with startLarderProcess) that opens NATS, Postgres and Redis exactly as
// the runner and the API do, from the same environment variables, and logs what each connection is:
// `connections ready {"nats":…,"postgresSsl":…,"redis":…}`. Used by the TLS tests.
import { acquireLarderConnection, makeNames, NatsConfig, ProcessId } from '@larder/messaging';
import { acquireOrm, DatabaseConfig, queryRows } from '@larder/persistence';
import { Config, Effect, Schema } from 'effect';
import { Redis } from 'ioredis';

const SslRows = Schema.Array(Schema.Struct({ ssl: Schema.Boolean }));

const probe = Effect.gen(function* () {
  const nats = yield* NatsConfig;
  const database = yield* DatabaseConfig;
  const redisUrl = yield* Config.string('REDIS_URL');
  const names = makeNames(nats.namespace, { shards: nats.shards });
  const { nc, jsm } = yield* acquireLarderConnection(nats.natsUrl, names, ProcessId.make('tls-probe'));
  const account = yield* Effect.tryPromise(() => jsm.getAccountInfo());
  const orm = yield* acquireOrm(database.databaseUrl, database.databaseSchema);
  const rows = yield* Effect.tryPromise(() => queryRows(orm, 'select ssl from pg_stat_ssl where pid = pg_backend_pid()', []));
  const [postgres] = Schema.decodeUnknownSync(SslRows)(rows);
  const redis = yield* Effect.acquireRelease(
    Effect.sync(() => new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true })),
    (r) => Effect.promise(() => r.quit()).pipe(Effect.ignore),
  );
  const pong = yield* Effect.tryPromise(() => redis.ping());
  return {
    nats: { tlsRequired: nc.info?.tls_required === true, jetstreamMemory: account.memory >= 0 },
    postgresSsl: postgres?.ssl === true,
    redis: pong,
  };
});

Effect.runPromise(Effect.scoped(probe)).then(
  (report) => console.log(`connections ready ${JSON.stringify(report)}`),
  (error: unknown) => {
    console.error(`connections failed: ${String(error)}`);
    process.exitCode = 1;
  },
);
