// NATS with JetStream for a test file: NATS_URL (default nats://127.0.0.1:4222) if it answers, else a
// `nats:2.10-alpine -js` container when Docker is there, else an error naming the command to start it.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { requireService, type RequireServiceOptions, type ServiceEndpoint, type ServiceSpec } from '../Reachability/RequireService.js';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** Connects, asks JetStream for the account info (fails when the server runs without `-js`), closes. */
const handshake = async (url: string, timeoutMs: number): Promise<void> => {
  const nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
    await jsm.getAccountInfo();
  } finally {
    await nc.close();
  }
};

const startContainer = async (): Promise<ServiceEndpoint> => {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('nats:2.10-alpine')
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return {
    url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
    origin: 'container',
    stop: async () => {
      await container.stop();
    },
  };
};

export const natsSpec: ServiceSpec = {
  service: 'NATS',
  envVar: 'NATS_URL',
  defaultUrl: DEFAULT_NATS_URL,
  defaultPort: 4222,
  startCommand: (port) => `nats-server -js -a 127.0.0.1 -p ${port} -sd /var/lib/nats-server`,
  handshake,
  startContainer,
};

export const requireNats = (options?: RequireServiceOptions): Promise<ServiceEndpoint> => requireService(natsSpec, options);
