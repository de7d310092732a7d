// The run's own NATS namespace, Postgres schema and Redis prefix (`bench_api_<12 hex>`), the
// environment that points the runner and the API at them, and their removal afterwards.
import { randomBytes } from 'node:crypto';
import { deleteNamespaceStreams, deleteRedisKeys, dropPostgresSchema } from '@larder/testing';
import { Redis } from 'ioredis';
import type { Services } from '../actors/Services.js';

export interface Removed {
  readonly streams: ReadonlyArray<string>;
  readonly redisKeys: number;
  readonly postgresSchema: string;
}

export interface ApiIsolation {
  /** Namespace, schema and (with a trailing `:`) Redis prefix. */
  readonly id: string;
  readonly env: Readonly<Record<string, string>>;
  readonly remove: () => Promise<Removed>;
}

export const makeApiIsolation = (services: Services): ApiIsolation => {
  // 22 characters: a valid namespace (≤ 32, [a-z0-9_]) and Postgres schema.
  const id = `bench_api_${randomBytes(6).toString('hex')}`;
  const redisPrefix = `${id}:`;
  return {
    id,
    env: {
      NATS_URL: services.natsUrl,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      LARDER_NAMESPACE: id,
      LARDER_DB_SCHEMA: id,
      LARDER_REDIS_PREFIX: redisPrefix,
    },
    remove: async () => {
      // `<NS>_*` streams and the `KV_<ns>_*` buckets.
      const streams = await deleteNamespaceStreams(services.nc, id);
      await dropPostgresSchema(services.databaseUrl, id);
      const redis = new Redis(services.redisUrl);
      try {
        return { streams, redisKeys: await deleteRedisKeys(redis, redisPrefix), postgresSchema: id };
      } finally {
        await redis.quit();
      }
    },
  };
};
