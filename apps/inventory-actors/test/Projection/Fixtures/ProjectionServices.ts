// The real targets of the projection for one test file: NATS with the namespace's KV bucket `stock`
// and stream STOCK (created here, deleted after), and Redis under the file's key prefix.
import { makeNames, Namespace, Shards, type Names } from '@larder/messaging';
import { deleteNamespaceStreams, deleteRedisKeys, makeTestNamespace, requireNats, requireRedis } from '@larder/testing';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { makeAvailabilityAnnouncer } from '../../../src/Projection/AvailabilityAnnouncer.js';

export interface ProjectionServices {
  readonly names: Names;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly kv: KV;
  /** KV `availability`: what was last announced out/back per SKU (ADR 0019). */
  readonly availability: KV;
  /** A client as the runner makes it: no offline queue, so an outage fails writes at once. */
  readonly redis: Redis;
  readonly redisPrefix: string;
  readonly close: () => Promise<void>;
}

/** A client with the runner's options (call `connect()`); `error` events are expected during outages. */
export const redisClient = (url: string, reconnectEveryMs = 100): Redis => {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => reconnectEveryMs,
  });
  redis.on('error', () => undefined);
  return redis;
};

export const openProjectionServices = async (): Promise<ProjectionServices> => {
  const ns = makeTestNamespace();
  const natsEndpoint = await requireNats();
  const redisEndpoint = await requireRedis();
  const names = makeNames(Namespace.make(ns.nats), { shards: Shards.make(4) });
  const nc = await connect({ servers: natsEndpoint.url });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({ name: names.stock.stream, subjects: [...names.stock.streamSubjects], duplicate_window: nanos(120_000) });
  const kv = await new Kvm(nc).create(names.buckets.stock, { history: 1 });
  const availability = await new Kvm(nc).create(names.buckets.availability, { history: 1 });
  const redis = redisClient(redisEndpoint.url);
  await redis.connect();
  const close = async () => {
    await deleteRedisKeys(redis, ns.redisPrefix);
    redis.disconnect();
    await deleteNamespaceStreams(nc, ns.nats);
    await nc.close();
    await redisEndpoint.stop();
    await natsEndpoint.stop();
  };
  return { names, nc, js, jsm, kv, availability, redis, redisPrefix: ns.redisPrefix, close };
};

/** The real out/back announcer on the file's `availability` bucket and STOCK stream. */
export const realAnnouncer = (s: ProjectionServices) =>
  makeAvailabilityAnnouncer({ kv: s.availability, js: s.js, names: s.names, timeoutMs: 5_000, warn: () => undefined });
