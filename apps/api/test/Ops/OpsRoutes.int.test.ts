// The operator console's Operations routes over real HTTP, with a real runner: the runner and its shards
// as `larder runners` sees them, a poison command's dead letter with its reason and the replay of dead
// letters to their subjects, the runner's auditor summary from its heartbeat, and admin-only access.
import { Actor, CommandId, EpochMillis, Quantity, Reference, Sku, type Command } from '@larder/domain';
import { encodeCommandMessage, encodeDeadLetter, HeaderNames, makeNames, Namespace, Shard, Shards } from '@larder/messaging';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, nuid, type NatsConnection } from '@nats-io/transport-node';
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, SHARDS, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

const Runners = Schema.Struct({
  namespace: Schema.String,
  shards: Schema.Int,
  owned: Schema.Int,
  runners: Schema.Array(
    Schema.Struct({
      runner: Schema.String,
      startedAt: Schema.Int,
      heartbeatAt: Schema.Int,
      heartbeatAgeMs: Schema.Int,
      draining: Schema.Boolean,
      pinned: Schema.NullOr(Schema.Array(Schema.Int)),
      shards: Schema.Array(Schema.Int),
    }),
  ),
  orphanLeases: Schema.Array(Schema.Struct({ shard: Schema.Int, runner: Schema.String })),
  unowned: Schema.Array(Schema.Int),
});
const Letter = Schema.Union(
  Schema.Struct({ seq: Schema.Int, readable: Schema.Literal(true), subject: Schema.String, reason: Schema.String, deliveries: Schema.Int, failedAt: Schema.String }),
  Schema.Struct({ seq: Schema.Int, readable: Schema.Literal(false), undecodable: Schema.String }),
);
const Letters = Schema.Struct({ stream: Schema.String, items: Schema.Array(Letter) });
const Replayed = Schema.Struct({ replayed: Schema.Int, skipped: Schema.Array(Schema.Struct({ seq: Schema.Int, why: Schema.String })) });
const Audit = Schema.Struct({
  auditedSkus: Schema.Int,
  lastAuditAt: Schema.Int,
  oversoldUnits: Schema.Int,
  oversoldSkus: Schema.Array(Schema.Struct({ sku: Schema.String, units: Schema.Int })),
  drift: Schema.Record({ key: Schema.String, value: Schema.Int }),
});
const Auditor = Schema.Struct({
  runners: Schema.Array(Schema.Struct({ runner: Schema.String, audit: Schema.NullOr(Audit) })),
  oversoldUnits: Schema.Int,
  healthy: Schema.Boolean,
});

let f: SystemFixture;
let nc: NatsConnection;
let js: JetStreamClient;
beforeAll(async () => {
  // The auditor every 200 ms over every SKU of a shard, so its summary is in a heartbeat within seconds.
  f = await makeSystemFixture({ env: { LARDER_AUDIT_EVERY_MS: '200', LARDER_AUDIT_SAMPLE: '50' } });
  const servers = f.serviceEnv.NATS_URL;
  if (servers === undefined) throw new Error('the system fixture has no NATS_URL');
  nc = await connect({ servers });
  js = jetstream(nc);
});
afterAll(async () => {
  await nc?.close();
  await f?.cleanup();
});

const names = () => makeNames(Namespace.make(f.serviceEnv.LARDER_NAMESPACE ?? ''), { shards: Shards.make(SHARDS) });
const allShards = Array.from({ length: SHARDS }, (_, shard) => shard);
const letters = async () => decodeBody(Letters, await f.api.get('/v1/ops/dead-letters')).items;

describe('GET /v1/ops/runners', () => {
  it('lists the one live runner with every shard, and no orphan lease or unowned shard', async () => {
    const answer = await f.api.get('/v1/ops/runners');
    expect(answer.status).toBe(200);
    const report = decodeBody(Runners, answer);
    expect(report).toMatchObject({ namespace: f.serviceEnv.LARDER_NAMESPACE, shards: SHARDS, owned: SHARDS, orphanLeases: [], unowned: [] });
    expect(report.runners).toHaveLength(1);
    const [runner] = report.runners;
    expect(runner).toMatchObject({ draining: false, pinned: null, shards: allShards });
    expect(runner?.runner).toMatch(/^runner-/);
    expect(runner?.heartbeatAgeMs).toBeLessThan(5_000);
    expect(runner?.startedAt).toBeLessThanOrEqual(runner?.heartbeatAt ?? 0);
  });
});

describe('the command dead letters', () => {
  const poisonSku = uniqueSku('OPS-POISON');
  const utf8 = (text: string) => new TextEncoder().encode(text);

  it('lists a poison command published to INV_CMD with the reason it failed', async () => {
    const subject = names().commands.subject(Sku.make(poisonSku));
    await js.publish(subject, utf8('restock 5 units, please'), { msgID: `poison-${nuid.next()}` });
    await expect.poll(async () => (await letters()).some((l) => l.readable && l.subject === subject), { timeout: 15_000 }).toBe(true);
    const listed = decodeBody(Letters, await f.api.get('/v1/ops/dead-letters?limit=10'));
    expect(listed.stream).toBe(names().deadLetters.stream);
    const letter = listed.items.find((l) => l.readable && l.subject === subject);
    expect(letter).toMatchObject({ readable: true, subject, deliveries: 1, reason: expect.stringMatching(/CommandMessage: not UTF-8 JSON/) });
    const failedAt = letter?.readable === true ? Date.parse(letter.failedAt) : Number.NaN;
    expect(failedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('replays each readable dead letter to its subject (a buried restock is applied) and keeps an unreadable one, saying why', async () => {
    const sku = uniqueSku('OPS-REPLAY');
    const restock: Command = {
      _tag: 'Restock',
      commandId: CommandId.make(`ops-replay-${nuid.next()}`),
      actor: Actor.make('service:api-test'),
      now: EpochMillis.make(Date.now()),
      sku: Sku.make(sku),
      qty: Quantity.make(7),
      reference: Reference.make('po-replayed'),
    };
    // As a runner buries a command it gave up on (journal unavailable five times), and a letter nobody can read.
    const n = names();
    await js.publish(
      n.deadLetters.subject(n.shardOf(Sku.make(sku))),
      encodeDeadLetter({
        v: 1,
        reason: 'gave up after 5 deliveries: journal_unavailable: test',
        subject: n.commands.subject(Sku.make(sku)),
        original: encodeCommandMessage({ v: 1, command: restock }),
        headers: { [HeaderNames.messageId]: [restock.commandId] },
        failedAt: EpochMillis.make(Date.now()),
        deliveries: 5,
      }),
    );
    await js.publish(n.deadLetters.subject(Shard.make(0)), utf8('not a dead letter'));
    const before = await letters();
    const buried = before.find((l) => l.readable && l.subject === n.commands.subject(Sku.make(sku)));
    const unreadable = before.find((l) => !l.readable);
    expect(unreadable).toMatchObject({ readable: false, undecodable: expect.stringMatching(/DeadLetter: not UTF-8 JSON/) });

    const key = `ops-replay-${nuid.next()}`;
    const answer = await f.api.post('/v1/ops/dead-letters/replay', {}, { idempotencyKey: key });
    expect(answer.status).toBe(200);
    const result = decodeBody(Replayed, answer);
    expect(result.replayed).toBe(before.filter((l) => l.readable).length);
    expect(result.skipped).toEqual([{ seq: unreadable?.seq, why: expect.stringMatching(/^undecodable dead letter: DeadLetter: not UTF-8 JSON/) }]);

    await f.waitForStock(sku, (view) => view.onHand === 7);
    const after = await letters();
    expect(after.map((l) => l.seq)).not.toContain(buried?.seq);
    expect(after.filter((l) => !l.readable).map((l) => l.seq)).toEqual([unreadable?.seq]);

    // The same Idempotency-Key again: the first answer, not a second replay.
    const again = await f.api.post('/v1/ops/dead-letters/replay', {}, { idempotencyKey: key });
    expect({ status: again.status, body: again.body, replayed: again.headers.get('idempotent-replayed') }).toEqual({ status: 200, body: answer.body, replayed: 'true' });
  });

  it('refuses a limit out of range, and a replay without an Idempotency-Key', async () => {
    expect(problemOf(await f.api.get('/v1/ops/dead-letters?limit=0'))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.post('/v1/ops/dead-letters/replay', { limit: 0 }))).toEqual(problem(400, 'invalid-request'));
    expect(problemOf(await f.api.post('/v1/ops/dead-letters/replay', {}, { idempotencyKey: null }))).toEqual(problem(400, 'idempotency-key-required'));
  });
});

describe('GET /v1/ops/auditor', () => {
  it('shows the runner’s audit summary once its auditor has run over a SKU: nothing oversold, nothing drifted', async () => {
    const sku = uniqueSku('OPS-AUDITED');
    await f.seedStock(sku, 5);
    const audited = async () => decodeBody(Auditor, await f.api.get('/v1/ops/auditor')).runners[0]?.audit?.auditedSkus ?? 0;
    await expect.poll(audited, { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(1);

    const status = decodeBody(Auditor, await f.api.get('/v1/ops/auditor'));
    expect(status).toMatchObject({ oversoldUnits: 0, healthy: true });
    expect(status.runners).toHaveLength(1);
    expect(status.runners[0]?.audit).toMatchObject({ oversoldUnits: 0, oversoldSkus: [], drift: { kv: 0, redis: 0, snapshot: 0 } });
    expect(status.runners[0]?.audit?.lastAuditAt).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('access', () => {
  const routes = [
    () => f.api.get('/v1/ops/runners', { key: f.keys.read }),
    () => f.api.get('/v1/ops/dead-letters', { key: f.keys.write }),
    () => f.api.post('/v1/ops/dead-letters/replay', {}, { key: f.keys.reserve }),
    () => f.api.get('/v1/ops/auditor', { key: f.keys.read }),
  ];

  it.each(routes.map((call, i) => ({ i, call })))('a key without the admin scope gets 403 (route $i)', async ({ call }) => {
    expect(problemOf(await call())).toEqual(problem(403, 'forbidden'));
  });

  it('no credentials get 401', async () => {
    expect(problemOf(await f.api.get('/v1/ops/runners', { key: null }))).toEqual(problem(401, 'unauthorized'));
  });

  it('the OpenAPI document lists the four routes under the operations tag with their answers’ schemas', async () => {
    const doc = await f.api.get('/docs/openapi.json', { key: null });
    const Paths = Schema.Struct({
      paths: Schema.Record({
        key: Schema.String,
        value: Schema.Record({ key: Schema.String, value: Schema.Struct({ tags: Schema.Array(Schema.String), responses: Schema.Record({ key: Schema.String, value: Schema.Struct({ content: Schema.optional(Schema.Unknown) }) }) }) }),
      }),
    });
    const { paths } = decodeBody(Paths, doc);
    for (const [path, method] of [['/v1/ops/runners', 'get'], ['/v1/ops/dead-letters', 'get'], ['/v1/ops/dead-letters/replay', 'post'], ['/v1/ops/auditor', 'get']] as const) {
      const op = paths[path]?.[method];
      expect(op?.tags, path).toEqual(['operations']);
      expect(op?.responses['200']?.content, path).toBeDefined();
    }
  });
});
