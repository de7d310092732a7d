// A scenario's own NATS namespace, Postgres schema and Redis prefix (the test harness's
// `makeTestNamespace`), the runner environment that points at them, and their removal.
import { makeNames, Namespace, Shards, type Names } from '@larder/messaging';
import { deleteNamespaceStreams, deleteRedisKeys, dropPostgresSchema, makeTestNamespace } from '@larder/testing';
import { Redis } from 'ioredis';
import type { Services } from './Services.js';

export interface Isolation {
  readonly names: Names;
  /** Everything a runner child needs; `LARDER_SHARDS=1` so every SKU is in shard 0. */
  readonly runnerEnv: (groupCommit: boolean) => Readonly<Record<string, string>>;
  readonly remove: () => Promise<void>;
}

export const makeIsolation = (services: Services): Isolation => {
  const ns = makeTestNamespace();
  const names = makeNames(Namespace.make(ns.nats), { shards: Shards.make(1) });
  return {
    names,
    runnerEnv: (groupCommit) => ({
      NATS_URL: services.natsUrl,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      LARDER_NAMESPACE: ns.nats,
      LARDER_SHARDS: '1',
      LARDER_DB_SCHEMA: ns.postgresSchema,
      LARDER_REDIS_PREFIX: ns.redisPrefix,
      LARDER_GROUP_COMMIT: String(groupCommit),
    }),
    remove: async () => {
      await deleteNamespaceStreams(services.nc, ns.nats);
      await dropPostgresSchema(services.databaseUrl, ns.postgresSchema);
      const redis = new Redis(services.redisUrl);
      try {
        await deleteRedisKeys(redis, ns.redisPrefix);
      } finally {
        await redis.quit();
      }
    },
  };
};
