// The allowed set is enough: a real shard runner and a real API, connected as the `runner` and `api`
// users of deploy/nats/secure, take a restock and a reservation over HTTP. And the API, which may not
// create streams, refuses to start before a runner has made them, saying so. The admin's operations
// routes (/v1/ops/*) answer under these permissions too.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Actor, CommandId, EpochMillis, Quantity, Reference, Sku, type Command } from '@larder/domain';
import { DefaultNamespace, encodeCommandMessage, encodeDeadLetter, HeaderNames, makeNames, ProcessId, Shards } from '@larder/messaging';
import {
  ApiWithoutShedding,
  deleteRedisKeys,
  dropPostgresSchema,
  freePort,
  makeTestNamespace,
  requirePostgres,
  requireRedis,
  startLarderProcess,
  type LarderProcess,
} from '@larder/testing';
import { jetstream } from '@nats-io/jetstream';
import { nuid } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecureNats, type SecureNats } from './Fixtures/SecureNats.js';

const ns = makeTestNamespace();
const apiKey = `lk_${randomBytes(24).toString('base64url')}`;
const apiKeys = JSON.stringify([{ name: 'e2e-admin', sha256: createHash('sha256').update(apiKey).digest('hex'), scopes: ['admin'] }]);

let nats: SecureNats;
let env: Record<string, string>;
let redisUrl: string;
let databaseUrl: string;
const started: Array<LarderProcess> = [];
/** The API started by the second case, with a runner beside it. */
let apiUrl: string | undefined;

const startRunner = () =>
  startLarderProcess({
    name: 'runner',
    entry: 'apps/inventory-actors/src/main.ts',
    env: { ...env, NATS_USER: 'runner', NATS_PASSWORD: nats.passwords.runner },
    ready: '"runner ready"',
    readyTimeoutMs: 60_000,
  });

const startApi = async () => {
  const port = await freePort();
  const api = await startLarderProcess({
    name: 'api',
    entry: 'apps/api/src/main.ts',
    env: { ...env, ...ApiWithoutShedding, NATS_USER: 'api', NATS_PASSWORD: nats.passwords.api, HOST: '127.0.0.1', PORT: String(port), LARDER_API_KEYS: apiKeys },
    ready: 'api ready',
    readyTimeoutMs: 60_000,
  });
  started.push(api);
  return { api, url: `http://127.0.0.1:${port}` };
};

const call = async (url: string, method: 'GET' | 'POST', body?: unknown) => {
  const answer = await fetch(url, {
    method,
    headers: {
      'x-api-key': apiKey,
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await answer.text();
  return { status: answer.status, text };
};

const StockView = Schema.Struct({ sku: Schema.String, onHand: Schema.Int, reserved: Schema.Int, available: Schema.Int });
const Held = Schema.Struct({ status: Schema.Literal('held'), lines: Schema.Array(Schema.Struct({ sku: Schema.String, qty: Schema.Int })) });
const Runners = Schema.Struct({
  shards: Schema.Int,
  owned: Schema.Int,
  unowned: Schema.Array(Schema.Int),
  runners: Schema.Array(Schema.Struct({ runner: Schema.String, shards: Schema.Array(Schema.Int) })),
});
const Letters = Schema.Struct({ items: Schema.Array(Schema.Struct({ seq: Schema.Int, readable: Schema.Boolean, subject: Schema.optional(Schema.String) })) });
const decodeJson = <A, I>(schema: Schema.Schema<A, I>, text: string) => Schema.decodeUnknownSync(Schema.parseJson(schema))(text);

/** Polls GET /v1/stock/:sku until the view has the expected quantities. */
const waitForStock = async (base: string, sku: string, expected: Partial<typeof StockView.Type>) => {
  const deadline = Date.now() + 20_000;
  let last = 'nothing yet';
  while (Date.now() < deadline) {
    const answer = await call(`${base}/v1/stock/${sku}`, 'GET');
    if (answer.status === 200) {
      const view = decodeJson(StockView, answer.text);
      if (Object.entries(expected).every(([key, value]) => Object.entries(view).some(([k, v]) => k === key && v === value))) return view;
    }
    last = `${answer.status} ${answer.text}`;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`the stock of ${sku} never showed ${JSON.stringify(expected)}; last answer: ${last}`);
};

beforeAll(async () => {
  const [pg, redis] = await Promise.all([requirePostgres(), requireRedis()]);
  databaseUrl = pg.url;
  redisUrl = redis.url;
  nats = await startSecureNats('nats-server.conf');
  // The committed permissions name the default namespace, which this private server is free to use.
  env = {
    NATS_URL: nats.server.url,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    LARDER_SHARDS: '4',
    LARDER_DB_SCHEMA: ns.postgresSchema,
    LARDER_REDIS_PREFIX: ns.redisPrefix,
    LOG_LEVEL: 'info',
  };
}, 60_000);

afterAll(async () => {
  // The API first (it stops taking requests), then the runner.
  for (const process of started.reverse()) await process.stop();
  await nats?.server.stop();
  if (databaseUrl !== undefined) await dropPostgresSchema(databaseUrl, ns.postgresSchema);
  if (redisUrl !== undefined) {
    const redis = new Redis(redisUrl);
    await deleteRedisKeys(redis, ns.redisPrefix);
    await redis.quit();
  }
}, 60_000);

describe('least privilege, end to end', () => {
  it('the API, which may not create streams, will not start before a runner has made them, and says why', async () => {
    const failure = await startApi().then(
      () => 'started',
      (error: unknown) => String(error),
    );
    expect(failure).toContain('may not create them: start a runner first');
    // (its log is JSON, so the quotes around the subject are escaped)
    expect(failure).toMatch(/Permissions Violation for Publish to \\?"\$JS\.API\.STREAM\.CREATE\./);
  }, 90_000);

  it('a runner as `runner` and an API as `api` take a restock (INV_CMD) and a reservation (request path) over HTTP', async () => {
    started.push(await startRunner());
    const { api, url } = await startApi();
    apiUrl = url;
    expect(api.output()).not.toContain('creating the missing NATS streams');
    const sku = `e2e-${nuid.next().slice(-10).toLowerCase()}`;

    const restock = await call(`${url}/v1/restocks`, 'POST', { sku, qty: 10, reference: 'least-privilege-e2e' });
    expect(restock.status, restock.text).toBe(202);
    // The runner consumed INV_CMD, appended to the journal and wrote the KV view the API watches.
    await waitForStock(url, sku, { onHand: 10, available: 10 });

    const hold = await call(`${url}/v1/reservations`, 'POST', { lines: [{ sku, qty: 3 }], ttlSeconds: 600 });
    expect(hold.status, hold.text).toBe(201);
    expect(decodeJson(Held, hold.text)).toEqual({ status: 'held', lines: [{ sku, qty: 3 }] });
    await waitForStock(url, sku, { reserved: 3, available: 7 });

    // Nothing either process did was refused.
    for (const process of started) expect(process.output()).not.toContain('Permissions Violation');
  }, 120_000);

  it('the API as `api` answers the operations routes: runners and leases, the auditor, dead letters and their replay', async () => {
    if (apiUrl === undefined) throw new Error('no API is running (the case before failed)');
    const url = apiUrl;
    const runners = await call(`${url}/v1/ops/runners`, 'GET');
    expect(runners.status, runners.text).toBe(200);
    expect(decodeJson(Runners, runners.text)).toMatchObject({ shards: 4, owned: 4, unowned: [], runners: [{ shards: [0, 1, 2, 3] }] });
    const auditor = await call(`${url}/v1/ops/auditor`, 'GET');
    expect(auditor.status, auditor.text).toBe(200);

    // A restock a runner gave up on, buried in INV_DLQ as the runner does it (the `runner` user).
    const names = makeNames(DefaultNamespace, { shards: Shards.make(4) });
    const sku = Sku.make(`e2e-dlq-${nuid.next().slice(-10).toLowerCase()}`);
    const restock: Command = {
      _tag: 'Restock',
      commandId: CommandId.make(`e2e-replay-${nuid.next()}`),
      actor: Actor.make('service:least-privilege-e2e'),
      now: EpochMillis.make(Date.now()),
      sku,
      qty: Quantity.make(4),
      reference: Reference.make('least-privilege-e2e-replay'),
    };
    const nc = await nats.connectAs('runner', { inboxPrefix: names.inbox.prefix(ProcessId.make(`runner-${nuid.next()}`)) });
    try {
      await jetstream(nc).publish(
        names.deadLetters.subject(names.shardOf(sku)),
        encodeDeadLetter({
          v: 1,
          reason: 'gave up after 5 deliveries: journal_unavailable: e2e',
          subject: names.commands.subject(sku),
          original: encodeCommandMessage({ v: 1, command: restock }),
          headers: { [HeaderNames.messageId]: [restock.commandId] },
          failedAt: EpochMillis.make(Date.now()),
          deliveries: 5,
        }),
      );
    } finally {
      await nc.close();
    }
    const listed = await call(`${url}/v1/ops/dead-letters`, 'GET');
    expect(listed.status, listed.text).toBe(200);
    expect(decodeJson(Letters, listed.text).items).toEqual([expect.objectContaining({ readable: true, subject: names.commands.subject(sku) })]);
    const replay = await call(`${url}/v1/ops/dead-letters/replay`, 'POST', {});
    expect(replay.status, replay.text).toBe(200);
    expect(JSON.parse(replay.text)).toEqual({ replayed: 1, skipped: [] });
    await waitForStock(url, sku, { onHand: 4 });
    expect(decodeJson(Letters, (await call(`${url}/v1/ops/dead-letters`, 'GET')).text).items).toEqual([]);

    for (const process of started) expect(process.output()).not.toContain('Permissions Violation');
  }, 60_000);
});
