// Redis for a test file: REDIS_URL (default redis://127.0.0.1:6379) if it answers PING, else a
// `redis:7-alpine` container when Docker is there, else an error naming the command to start it.
import { Redis } from 'ioredis';
import { requireService, type RequireServiceOptions, type ServiceEndpoint, type ServiceSpec } from '../Reachability/RequireService.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const handshake = async (url: string, timeoutMs: number): Promise<void> => {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    const answer = await redis.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
  } finally {
    redis.disconnect();
  }
};

const startContainer = async (): Promise<ServiceEndpoint> => {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('redis:7-alpine')
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .start();
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    origin: 'container',
    stop: async () => {
      await container.stop();
    },
  };
};

export const redisSpec: ServiceSpec = {
  service: 'Redis',
  envVar: 'REDIS_URL',
  defaultUrl: DEFAULT_REDIS_URL,
  defaultPort: 6379,
  startCommand: (port) => `redis-server --daemonize yes --bind 127.0.0.1 --port ${port} --save "" --appendonly no`,
  handshake,
  startContainer,
};

export const requireRedis = (options?: RequireServiceOptions): Promise<ServiceEndpoint> => requireService(redisSpec, options);
