// The local NATS, Postgres and Redis the benchmark runs against (NATS_URL, DATABASE_URL, REDIS_URL,
// with the test harness's local defaults), and one connection for the load generator.
import { requireNats, requirePostgres, requireRedis } from '@larder/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface Services {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly nc: NatsConnection;
  readonly close: () => Promise<void>;
}

export const connectServices = async (): Promise<Services> => {
  const [nats, pg, redis] = await Promise.all([requireNats(), requirePostgres(), requireRedis()]);
  const nc = await connect({ servers: nats.url, name: 'larder-bench' });
  return {
    natsUrl: nats.url,
    databaseUrl: pg.url,
    redisUrl: redis.url,
    nc,
    close: async () => {
      await nc.drain();
      await Promise.all([nats.stop(), pg.stop(), redis.stop()]);
    },
  };
};
