// Postgres for a test file: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) if
// `select 1` works, else a trust-auth `postgres:15-alpine` container when Docker is there, else an error.
import pg from 'pg';
import { requireService, type RequireServiceOptions, type ServiceEndpoint, type ServiceSpec } from '../Reachability/RequireService.js';

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

const handshake = async (url: string, timeoutMs: number): Promise<void> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end();
  }
};

const startContainer = async (): Promise<ServiceEndpoint> => {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('postgres:15-alpine')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts(5432)
    // The entrypoint starts Postgres twice (init, then for real): wait for the second "ready".
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return {
    url: `postgresql://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`,
    origin: 'container',
    stop: async () => {
      await container.stop();
    },
  };
};

export const postgresSpec: ServiceSpec = {
  service: 'Postgres',
  envVar: 'DATABASE_URL',
  defaultUrl: DEFAULT_DATABASE_URL,
  defaultPort: 5432,
  startCommand: () => 'pg_ctlcluster 15 main start',
  handshake,
  startContainer,
};

export const requirePostgres = (options?: RequireServiceOptions): Promise<ServiceEndpoint> =>
  requireService(postgresSpec, options);
