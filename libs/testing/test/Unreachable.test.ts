// With a service down and no Docker engine, the harness fails at once with a message naming what to start.
// Needs no services: it probes a port that nothing listens on and stubs the Docker detection.
import { describe, expect, it } from 'vitest';
import { freePort, requireNats, requirePostgres, requireRedis, ServiceUnreachableError } from '../src/index.js';

const noDocker = async () => false;

const failure = async (attempt: Promise<unknown>): Promise<ServiceUnreachableError> => {
  const outcome = await attempt.then(
    () => new Error('expected the service to be unreachable'),
    (err: unknown) => err,
  );
  if (outcome instanceof ServiceUnreachableError) return outcome;
  throw outcome;
};

describe('a closed port and no Docker engine', () => {
  it('names the Postgres command and DATABASE_URL', async () => {
    const port = await freePort();
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;

    const err = await failure(requirePostgres({ url, dockerEngineAvailable: noDocker }));

    expect(err.message).toMatch(
      new RegExp(
        `^Postgres is not reachable at ${url} \\(DATABASE_URL\\)\\. Start it \\(\`pg_ctlcluster 15 main start\`\\) ` +
          'or set DATABASE_URL; no Docker engine was found for testcontainers\\.',
      ),
    );
    expect(err.service).toBe('Postgres');
  });

  it('reads NATS_URL from the environment and names the nats-server command for its port', async () => {
    const port = await freePort();

    const err = await failure(requireNats({ env: { NATS_URL: `nats://127.0.0.1:${port}` }, dockerEngineAvailable: noDocker }));

    expect(err.message).toContain(`NATS is not reachable at nats://127.0.0.1:${port} (NATS_URL).`);
    expect(err.message).toContain(`Start it (\`nats-server -js -a 127.0.0.1 -p ${port} -sd /var/lib/nats-server\`)`);
    expect(err.message).toContain('no Docker engine was found for testcontainers');
  });

  it('names the redis-server command and REDIS_URL, with the password hidden', async () => {
    const port = await freePort();

    const err = await failure(requireRedis({ url: `redis://:s3cret@127.0.0.1:${port}`, dockerEngineAvailable: noDocker }));

    expect(err.message).toContain(`Redis is not reachable at redis://:***@127.0.0.1:${port} (REDIS_URL).`);
    expect(err.message).toContain(`redis-server --daemonize yes --bind 127.0.0.1 --port ${port}`);
    expect(err.message).not.toContain('s3cret');
  });
});
