// TLS everywhere Larder connects, with a CA and certificates made by openssl for this run: NATS from the
// committed deploy/nats/secure/nats-server-tls.conf (TLS and a client certificate required), Redis with
// TLS only, Postgres accepting only TLS. Larder's own connection code connects from environment
// variables alone; plain clients, clients without a certificate and strangers' certificates are refused.
import { connect as tcpConnect } from 'node:net';
import { readFileSync } from 'node:fs';
import { Sku } from '@larder/domain';
import { acquireLarderConnection, DefaultNamespace, DefaultShards, defaultTopologyOptions, ensureTopology, makeNames, ProcessId } from '@larder/messaging';
import { startLarderProcess, startNatsServer } from '@larder/testing';
import { connect } from '@nats-io/transport-node';
import { ConfigProvider, Effect } from 'effect';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quotedForNats, startSecureNats, type SecureNats } from './Fixtures/SecureNats.js';
import { makeTestCertificates, type TestCertificates } from './Fixtures/TestCertificates.js';
import { startTlsPostgres, type TlsPostgres } from './Fixtures/TlsPostgres.js';
import { startTlsRedis, type TlsRedis } from './Fixtures/TlsRedis.js';

const names = makeNames(DefaultNamespace, { shards: DefaultShards });

let certs: TestCertificates;
let nats: SecureNats;
let redis: TlsRedis;
let postgres: TlsPostgres;

beforeAll(async () => {
  certs = makeTestCertificates();
  nats = await startSecureNats('nats-server-tls.conf', {
    LARDER_NATS_TLS_CERT: quotedForNats(certs.server.cert),
    LARDER_NATS_TLS_KEY: quotedForNats(certs.server.key),
    LARDER_NATS_TLS_CA: quotedForNats(certs.ca),
  });
  [redis, postgres] = await Promise.all([startTlsRedis(certs), startTlsPostgres(certs)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([nats?.server.stop(), redis?.stop(), postgres?.stop()]);
  certs?.remove();
}, 60_000);

/** The NATS_* variables of a runner that connects with TLS and a client certificate. */
const runnerNatsEnv = () => ({
  NATS_URL: nats.server.url,
  NATS_USER: 'runner',
  NATS_PASSWORD: nats.passwords.runner,
  NATS_TLS_CA: certs.ca,
  NATS_TLS_CERT: certs.client.cert,
  NATS_TLS_KEY: certs.client.key,
});

const withEnv = <A, E, R>(effect: Effect.Effect<A, E, R>, env: Record<string, string>) =>
  Effect.withConfigProvider(effect, ConfigProvider.fromMap(new Map(Object.entries(env))));

/** Everything a server sends a raw TCP client that speaks plain NATS protocol, until it closes. */
const plainConversation = (port: number, send: string) =>
  new Promise<string>((resolve) => {
    let received = '';
    const socket = tcpConnect({ host: '127.0.0.1', port }, () => socket.write(send));
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.once('close', () => resolve(received));
    socket.once('error', () => undefined);
  });

describe('NATS with TLS required (deploy/nats/secure/nats-server-tls.conf)', () => {
  it('Larder’s connection connects from NATS_USER/NATS_PASSWORD and NATS_TLS_CA/CERT/KEY, and works', async () => {
    const result = await Effect.runPromise(
      withEnv(
        Effect.scoped(
          Effect.gen(function* () {
            const { nc, jsm, js } = yield* acquireLarderConnection(nats.server.url, names, ProcessId.make('tls-runner'));
            yield* Effect.tryPromise(() => ensureTopology(nc, jsm, names, defaultTopologyOptions));
            const ack = yield* Effect.tryPromise(() => js.publish(names.journal.subject(Sku.make('tls-sku')), '{}'));
            return { tlsRequired: nc.info?.tls_required, stream: ack.stream };
          }),
        ),
        runnerNatsEnv(),
      ),
    );
    expect(result).toEqual({ tlsRequired: true, stream: names.journal.stream });
  });

  it('refuses a plain TCP client: its INFO demands TLS and the plain CONNECT is dropped', async () => {
    const conversation = await plainConversation(
      nats.server.port,
      `CONNECT ${JSON.stringify({ verbose: false, user: 'runner', pass: nats.passwords.runner })}\r\nPING\r\n`,
    );
    expect(conversation).toMatch(/^INFO .*"tls_required":true/);
    expect(conversation).not.toContain('PONG');
  });

  it('refuses a TLS client without a client certificate, and one whose certificate another CA signed', async () => {
    const base = { servers: nats.server.url, user: 'runner', pass: nats.passwords.runner, reconnect: false };
    // The server ends the handshake with TLS alert 42, "bad certificate" (or resets the socket before
    // the client has read the alert).
    const refusedByServer = /bad certificate|ECONNRESET/;
    await expect(connect({ ...base, tls: { caFile: certs.ca } })).rejects.toThrow(refusedByServer);
    await expect(connect({ ...base, tls: { caFile: certs.ca, certFile: certs.stranger.cert, keyFile: certs.stranger.key } })).rejects.toThrow(
      refusedByServer,
    );
    // And a client that does not know our CA does not trust the server.
    await expect(connect({ ...base, tls: { certFile: certs.client.cert, keyFile: certs.client.key } })).rejects.toThrow(
      /unable to verify the first certificate/,
    );
    // The same options with our CA's client certificate do connect: the refusals above are about the certificate.
    const nc = await connect({ ...base, tls: { caFile: certs.ca, certFile: certs.client.cert, keyFile: certs.client.key } });
    await nc.close();
  });

  it('refuses, as a client, to fall back to plain TCP when NATS_TLS_* is set and the server has no TLS', async () => {
    const plain = await startNatsServer({ jetstream: false });
    try {
      const failure = await Effect.runPromise(
        withEnv(Effect.scoped(acquireLarderConnection(plain.url, names, ProcessId.make('tls-downgrade'))), { NATS_TLS_CA: certs.ca }).pipe(
          Effect.flip,
        ),
      );
      expect(String(failure)).toContain("server does not support 'tls'");
    } finally {
      await plain.stop();
    }
  });
});

describe('Redis with TLS only', () => {
  it('answers a rediss:// client that trusts the CA, and drops a plain one', async () => {
    const secure = new Redis(`rediss://127.0.0.1:${redis.port}`, { tls: { ca: readFileSync(certs.ca) }, maxRetriesPerRequest: 0, retryStrategy: () => null });
    expect(await secure.ping()).toBe('PONG');
    await secure.quit();
    const plain = new Redis(`redis://127.0.0.1:${redis.port}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
    plain.on('error', () => undefined);
    // redis-server reads the plain bytes as a broken TLS handshake and closes the connection.
    await expect(plain.connect().then(() => plain.ping())).rejects.toThrow(/Connection is closed/);
    plain.disconnect();
  });
});

describe('Postgres accepting only TLS', () => {
  it('answers a TLS client that verifies the server (pg_stat_ssl says ssl), and refuses a plain one', async () => {
    const secure = new pg.Client({ connectionString: postgres.url, ssl: { ca: readFileSync(certs.ca, 'utf8') } });
    await secure.connect();
    const { rows } = await secure.query('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
    expect(rows).toEqual([{ ssl: true }]);
    await secure.end();
    const plain = new pg.Client({ connectionString: postgres.url, ssl: false });
    await expect(plain.connect()).rejects.toThrow(/no encryption/);
  });
});

/**
 * Runs Larder's own connection code in a child process against the three TLS servers, with the runner's
 * NATS credentials, Redis over rediss:// and `postgres` (its env) for Postgres; returns what it reported.
 */
const probeConnections = async (name: string, postgresEnv: Readonly<Record<string, string>>): Promise<unknown> => {
  const probe = await startLarderProcess({
    name,
    entry: 'deploy/test/Fixtures/ProbeLarderConnections.ts',
    env: {
      ...runnerNatsEnv(),
      ...postgresEnv,
      REDIS_URL: `rediss://127.0.0.1:${redis.port}`,
      // Node trusts this CA (besides the system's) for every TLS connection: pg and ioredis use it.
      NODE_EXTRA_CA_CERTS: certs.ca,
    },
    ready: 'connections ready',
    readyTimeoutMs: 60_000,
  });
  await probe.ended;
  return JSON.parse(/connections ready (\{.*\})/.exec(probe.output())?.[1] ?? 'null');
};

describe('Larder over TLS to all three, from environment variables only', () => {
  it('a Larder process opens NATS, Postgres and Redis over TLS (NATS_TLS_*, PGSSLMODE, rediss://, NODE_EXTRA_CA_CERTS)', async () => {
    const report = await probeConnections('connection probe', { DATABASE_URL: postgres.url, LARDER_DB_SCHEMA: 'larder_tls', PGSSLMODE: 'verify-full' });
    expect(report).toEqual({ nats: { tlsRequired: true, jetstreamMemory: true }, postgresSsl: true, redis: 'PONG' });
  }, 90_000);

  it('reads sslmode from DATABASE_URL too (no PGSSLMODE): Postgres over TLS', async () => {
    const report = await probeConnections('connection probe (sslmode in the URL)', { DATABASE_URL: `${postgres.url}?sslmode=verify-full`, LARDER_DB_SCHEMA: 'larder_tls_url' });
    expect(report).toMatchObject({ postgresSsl: true });
  }, 90_000);
});
