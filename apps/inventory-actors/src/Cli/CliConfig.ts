// What `larder` reads from its environment: the same variables as a runner (NATS_URL, NATS_* credentials,
// LARDER_NAMESPACE, LARDER_SHARDS, REDIS_URL, LARDER_REDIS_PREFIX; DATABASE_URL and LARDER_DB_SCHEMA are
// read by the commands that need Postgres: check-invariants, ledger purge), so it sees the deployment the runners serve.
import { NatsConfig } from '@larder/messaging';
import { Config } from 'effect';

export const CliConfig = Config.all({
  nats: NatsConfig,
  redisUrl: Config.string('REDIS_URL').pipe(Config.withDefault('redis://127.0.0.1:6379')),
  redisPrefix: Config.string('LARDER_REDIS_PREFIX').pipe(Config.withDefault('larder:')),
});
export type CliConfig = Config.Config.Success<typeof CliConfig>;
