// deploy/nats/secure as committed, on a private nats-server: every allowed and every denied action of the
// api, runner, analyst and operator users (docs/security.md's matrix), with real clients. The committed
// file is for the default namespace `larder`, so these clients use it too (the server is this file's own).
import { EpochMillis, Sku } from '@larder/domain';
import {
  deadLetterEntry,
  DefaultNamespace,
  DefaultShards,
  defaultTopologyOptions,
  encodeDeadLetter,
  encodeRunnerControlReply,
  encodeRunnerMember,
  encodeShardLease,
  ensureTopology,
  listDeadLetters,
  makeLeaseReader,
  makeNames,
  probeRunner,
  ProcessId,
  readOwnership,
  replayDeadLetters,
  runnersReport,
  Shard,
} from '@larder/messaging';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { AuthorizationError, connect, headers, nuid, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { Effect } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordViolations, refused, type Violations } from './Fixtures/PermissionProbes.js';
import { startSecureNats, type NatsUser, type SecureNats } from './Fixtures/SecureNats.js';

const names = makeNames(DefaultNamespace, { shards: DefaultShards });
const sku = Sku.make('jerky-original-100g');
const shard = names.shardOf(sku);
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** Inbox prefixes as the real processes use them (names.inbox), and the analysts' required one. */
const inboxPrefixOf: Record<NatsUser, string | undefined> = {
  api: names.inbox.prefix(ProcessId.make(`api-${nuid.next()}`)),
  runner: names.inbox.prefix(ProcessId.make(`runner-${nuid.next()}`)),
  analyst: '_INBOX_analyst',
  operator: undefined,
};

interface Client {
  readonly nc: NatsConnection;
  readonly violations: Violations;
  readonly jsm: JetStreamManager;
}

const firstMessage = (sub: Subscription, timeoutMs = 3_000) =>
  new Promise<Msg>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing arrived on ${sub.getSubject()} within ${timeoutMs} ms`)), timeoutMs);
    void (async () => {
      for await (const m of sub) {
        clearTimeout(timer);
        resolve(m);
        return;
      }
    })();
  });

let nats: SecureNats;
const clients = new Map<NatsUser, Client>();
const as = (user: NatsUser): Client => {
  const client = clients.get(user);
  if (client === undefined) throw new Error(`no ${user} client`);
  return client;
};

/** Publishes on a core subject and proves it was refused: the server reports the violation. */
const publishRefused = async (user: NatsUser, subject: string) => {
  const { nc, violations } = as(user);
  nc.publish(subject, encode({ probe: true }));
  await nc.flush();
  const violation = await violations.next('publish', subject);
  expect(violation.message).toContain(`Permissions Violation for Publish to "${subject}"`);
};

/** Subscribes and proves it was refused: the server reports it and the client closes the subscription. */
const subscribeRefused = async (user: NatsUser, subject: string) => {
  const { nc, violations } = as(user);
  const sub = nc.subscribe(subject);
  await nc.flush();
  const violation = await violations.next('subscription', subject);
  expect(violation.message).toContain(`Permissions Violation for Subscription to "${subject}"`);
  expect(await sub.closed).toBe(violation);
};

/** Publishes on a core subject and proves the server did not refuse it (for subjects nobody else reads). */
const publishAccepted = async (user: NatsUser, subject: string) => {
  const { nc, violations } = as(user);
  nc.publish(subject, encode({ probe: true }));
  await nc.flush();
  await nc.flush();
  expect(violations.all().filter((e) => e.subject === subject)).toEqual([]);
};

/** Publishes on a core subject as `user` and proves the operator (who reads everything) received it. */
const publishDelivered = async (user: NatsUser, subject: string) => {
  const watch = as('operator').nc.subscribe(subject, { max: 1 });
  await as('operator').nc.flush();
  const arrived = firstMessage(watch);
  as(user).nc.publish(subject, encode({ from: user }));
  expect(JSON.parse(new TextDecoder().decode((await arrived).data))).toEqual({ from: user });
};

beforeAll(async () => {
  nats = await startSecureNats('nats-server.conf');
  for (const user of ['api', 'runner', 'analyst', 'operator'] as const) {
    const prefix = inboxPrefixOf[user];
    const nc = await nats.connectAs(user, { name: `permissions-test-${user}`, ...(prefix === undefined ? {} : { inboxPrefix: prefix }) });
    clients.set(user, { nc, violations: recordViolations(nc), jsm: await jetstreamManager(nc) });
  }
  // The runner creates the topology, as a real runner does at start (and the API may not: see below).
  await ensureTopology(as('runner').nc, as('runner').jsm, names, defaultTopologyOptions);
}, 60_000);

afterAll(async () => {
  await Promise.all([...clients.values()].map(({ nc }) => nc.close()));
  await nats?.server.stop();
});

describe('connecting', () => {
  it('refuses a client without credentials and one with a wrong password', async () => {
    await expect(connect({ servers: nats.server.url, reconnect: false })).rejects.toBeInstanceOf(AuthorizationError);
    await expect(connect({ servers: nats.server.url, user: 'api', pass: 'not-the-password', reconnect: false })).rejects.toBeInstanceOf(
      AuthorizationError,
    );
  });
});

describe('runner', () => {
  it('created every stream and bucket (stream and KV create rights)', async () => {
    const streams = await as('operator').jsm.streams.names().next();
    expect(streams).toEqual(
      expect.arrayContaining([
        names.commands.stream,
        names.journal.stream,
        names.deadLetters.stream,
        names.stock.stream,
        `KV_${names.buckets.stock}`,
        `KV_${names.buckets.shardLeases}`,
        `KV_${names.buckets.runners}`,
        `KV_${names.buckets.catalogue}`,
      ]),
    );
  });

  it('appends to the journal and gets a PubAck', async () => {
    const ack = await jetstream(as('runner').nc).publish(names.journal.subject(sku), encode({ events: [] }), { msgID: nuid.next() });
    expect(ack.stream).toBe(names.journal.stream);
    expect(ack.seq).toBeGreaterThan(0);
  });

  it('writes all three KV buckets', async () => {
    const kvm = new Kvm(as('runner').nc);
    for (const bucket of [names.buckets.stock, names.buckets.shardLeases, names.buckets.runners]) {
      const kv = await kvm.open(bucket);
      expect(await kv.put('probe', 'runner')).toBeGreaterThan(0);
    }
  });

  it('projects packs: watches the catalogue and the stock bucket, writes and deletes a pack’s view, but never writes a recipe', async () => {
    const kvm = new Kvm(as('runner').nc);
    const recipes = await kvm.open(names.buckets.catalogue);
    const recipe = await new Kvm(as('api').nc).open(names.buckets.catalogue);
    const key = names.keys.pack(Sku.make('probe-pack'));
    const revision = await recipe.put(key, JSON.stringify({ kind: 'pack' }));
    const watch = await recipes.watch();
    for await (const entry of watch) {
      if (entry.key !== key) continue;
      expect(entry.revision).toBe(revision);
      break;
    }
    watch.stop();
    expect((await recipes.get(key))?.revision).toBe(revision);
    expect((await refused(recipes.put(key, '{}'))).subject).toBe(`$KV.${names.buckets.catalogue}.${key}`);

    const stock = await kvm.open(names.buckets.stock);
    const written = await stock.put('probe-pack', JSON.stringify({ kind: 'pack' }));
    const views = await stock.watch({ key: 'probe-pack' });
    for await (const entry of views) {
      expect(entry.revision).toBe(written);
      break;
    }
    views.stop();
    await stock.delete('probe-pack', { previousSeq: written });
    expect((await stock.get('probe-pack'))?.operation).toBe('DEL');
    // Only the recipe write above was refused: no watch, read, flow control or delete of either bucket.
    expect(as('runner').violations.all().map((v) => v.subject)).toEqual([`$KV.${names.buckets.catalogue}.${key}`]);
  });

  it('consumes INV_CMD through a durable consumer and acks', async () => {
    await jetstream(as('api').nc).publish(names.commands.subject(sku), encode({ probe: 'for the runner' }), { msgID: nuid.next() });
    const { jsm, nc } = as('runner');
    await jsm.consumers.add(names.commands.stream, {
      durable_name: names.commands.durable(shard),
      filter_subject: names.commands.shardFilter(shard),
      ack_policy: AckPolicy.Explicit,
    });
    const consumer = await jetstream(nc).consumers.get(names.commands.stream, names.commands.durable(shard));
    const message = await consumer.next({ expires: 3_000 });
    expect(message?.subject).toBe(names.commands.subject(sku));
    expect(await message?.ackAck()).toBe(true);
  });

  it('answers requests on its shard subject into the API inbox', async () => {
    const sub = as('runner').nc.subscribe(names.requests.subject(shard), {
      queue: names.requests.queueGroup(shard),
      max: 1,
      callback: (_, m) => {
        m.respond(encode({ answered: true }));
      },
    });
    await as('runner').nc.flush();
    const reply = await as('api').nc.request(names.requests.subject(shard), encode({ batch: [] }), { timeout: 3_000 });
    expect(reply.json()).toEqual({ answered: true });
    expect(reply.subject.startsWith(`${inboxPrefixOf.api}.`)).toBe(true);
    sub.unsubscribe();
  });

  it('may not delete or purge a stream, nor delete a message', async () => {
    const { jsm } = as('runner');
    expect((await refused(jsm.streams.delete(names.journal.stream))).subject).toBe(`$JS.API.STREAM.DELETE.${names.journal.stream}`);
    expect((await refused(jsm.streams.purge(names.journal.stream))).subject).toBe(`$JS.API.STREAM.PURGE.${names.journal.stream}`);
    expect((await refused(jsm.streams.deleteMessage(names.journal.stream, 1))).subject).toBe(
      `$JS.API.STREAM.MSG.DELETE.${names.journal.stream}`,
    );
  });

  it('answers an operator’s control request on its default inbox, but publishes nothing unsolicited there', async () => {
    const runnerId = ProcessId.make(`runner-${nuid.next()}`);
    const sub = as('runner').nc.subscribe(names.control.subject(runnerId), {
      max: 1,
      callback: (_, m) => {
        m.respond(encode({ v: 1, ok: true, detail: 'drained' }));
      },
    });
    await as('runner').nc.flush();
    const reply = await as('operator').nc.request(names.control.subject(runnerId), encode({ v: 1, op: 'drain' }), { timeout: 3_000 });
    expect(reply.json()).toEqual({ v: 1, ok: true, detail: 'drained' });
    expect(reply.subject.startsWith('_INBOX.')).toBe(true);
    sub.unsubscribe();
    await publishRefused('runner', reply.subject);
  });

  it('pings another runner on its control subject (how a crashed peer is found): an answer while it listens, no responders once it is gone', async () => {
    const peerId = ProcessId.make(`runner-${nuid.next()}`);
    const peer = await nats.connectAs('runner', { name: 'permissions-test-runner-peer', inboxPrefix: names.inbox.prefix(peerId) });
    peer.subscribe(names.control.subject(peerId), { callback: (_, m) => void m.respond(encodeRunnerControlReply({ v: 1, ok: true, detail: 'hosting 0 shard(s)' })) });
    await peer.flush();
    expect(await probeRunner(as('runner').nc, names, peerId, 3_000)).toBe('connected');
    await peer.close();
    // The server drops the closed connection's subscription a moment after the client is done closing.
    await expect.poll(() => probeRunner(as('runner').nc, names, peerId, 500), { timeout: 10_000 }).toBe('gone');
    const ours = as('runner').violations.all().filter((v) => v.subject === names.control.subject(peerId) || v.subject.startsWith(names.inbox.prefix(peerId)));
    expect(ours).toEqual([]);
  });

  it('may not write a KV bucket that is not Larder’s, nor subscribe outside the namespace', async () => {
    await publishRefused('runner', '$KV.other_bucket.key');
    await subscribeRefused('runner', '_INBOX.>');
  });
});

describe('api', () => {
  it('publishes sync commands (core requests) on inv.req', async () => {
    await publishDelivered('api', names.requests.subject(shard));
  });

  it('stores async commands in INV_CMD and gets the PubAck on its own inbox', async () => {
    const ack = await jetstream(as('api').nc).publish(names.commands.subject(sku), encode({ probe: 'command' }), { msgID: nuid.next() });
    expect(ack.stream).toBe(names.commands.stream);
  });

  it('reads the stock bucket: open, status, get and a watch that sees the runner’s write', async () => {
    const runnerKv = await new Kvm(as('runner').nc).open(names.buckets.stock);
    const revision = await runnerKv.put(sku, JSON.stringify({ sku, available: 7 }));
    const kv = await new Kvm(as('api').nc).open(names.buckets.stock);
    expect((await kv.status()).bucket).toBe(names.buckets.stock);
    expect((await kv.get(sku))?.revision).toBe(revision);
    const watch = await kv.watch({ key: sku });
    for await (const entry of watch) {
      expect(entry.revision).toBe(revision);
      expect(entry.json()).toEqual({ sku, available: 7 });
      break;
    }
    watch.stop();
  });

  it('keeps drop definitions: writes the drops bucket, reads a key back and watches it', async () => {
    const kv = await new Kvm(as('api').nc).open(names.buckets.drops);
    const revision = await kv.put('probe-drop', JSON.stringify({ dropId: 'probe-drop' }));
    expect((await kv.get('probe-drop'))?.revision).toBe(revision);
    const watch = await kv.watch({ key: 'probe-drop' });
    for await (const entry of watch) {
      expect(entry.revision).toBe(revision);
      break;
    }
    watch.stop();
  });

  it('keeps pack recipes and locations: writes the catalogue bucket, reads a key back, watches it and deletes it', async () => {
    const kv = await new Kvm(as('api').nc).open(names.buckets.catalogue);
    const key = names.keys.pack(Sku.make('probe-api-pack'));
    const revision = await kv.put(key, JSON.stringify({ kind: 'pack' }));
    expect((await kv.get(key))?.revision).toBe(revision);
    const watch = await kv.watch({ key });
    for await (const entry of watch) {
      expect(entry.revision).toBe(revision);
      break;
    }
    watch.stop();
    await kv.delete(key);
    expect((await kv.get(key))?.operation).toBe('DEL');
  });

  it('delivers webhooks: keeps registrations, runs a durable consumer on STOCK, logs, dead-letters and replays (ADR 0015)', async () => {
    const { nc, jsm } = as('api');
    const js = jetstream(nc);
    const kv = await new Kvm(nc).open(names.buckets.webhooks);
    expect(await kv.put('probe-hook', JSON.stringify({ id: 'probe-hook' }))).toBeGreaterThan(0);
    const durable = names.webhooks.durable('probe-hook');
    await jsm.consumers.add(names.stock.stream, { durable_name: durable, filter_subject: `${names.namespace}.stock.v1.changed.>`, ack_policy: AckPolicy.Explicit });
    await jsm.consumers.update(names.stock.stream, durable, { filter_subject: `${names.namespace}.stock.v1.>` });
    await jetstream(as('runner').nc).publish(names.stock.subject('changed', sku), encode({ probe: 'public event' }));
    const message = await (await js.consumers.get(names.stock.stream, durable)).next({ expires: 3_000 });
    expect(message?.subject).toBe(names.stock.subject('changed', sku));
    expect(await message?.ackAck()).toBe(true);
    await jsm.consumers.delete(names.stock.stream, durable);

    await js.publish(names.webhooks.log.subject('probe-hook'), encode({ attempt: 1 }));
    const letter = await js.publish(names.webhooks.deadLetters.subject('probe-hook'), encode({ attempts: 8 }));
    const reader = await jsm.consumers.add(names.webhooks.deadLetters.stream, { filter_subject: names.webhooks.deadLetters.subject('probe-hook'), ack_policy: AckPolicy.None });
    expect((await (await js.consumers.get(names.webhooks.deadLetters.stream, reader.name)).next({ expires: 3_000 }))?.seq).toBe(letter.seq);
    await jsm.consumers.delete(names.webhooks.deadLetters.stream, reader.name);
    await js.publish(names.webhooks.replays.subject('probe-hook'), encode({ attempts: 8 }), { msgID: nuid.next() });
    expect(await jsm.streams.deleteMessage(names.webhooks.deadLetters.stream, letter.seq, false)).toBe(true);
    const replays = names.webhooks.replays.durable('probe-hook');
    await jsm.consumers.add(names.webhooks.replays.stream, { durable_name: replays, filter_subject: names.webhooks.replays.subject('probe-hook'), ack_policy: AckPolicy.Explicit });
    expect(await (await (await js.consumers.get(names.webhooks.replays.stream, replays)).next({ expires: 3_000 }))?.ackAck()).toBe(true);
    await jsm.consumers.delete(names.webhooks.replays.stream, replays);
  });

  it('tells waiting customers a SKU is back: consumes `notify_back` on stock.v1.back.> and publishes stock.v1.notify into STOCK (Notify/)', async () => {
    const { nc, jsm } = as('api');
    const js = jetstream(nc);
    await jsm.consumers.add(names.stock.stream, { durable_name: names.notify.durable, filter_subject: names.notify.backFilter, ack_policy: AckPolicy.Explicit });
    await jetstream(as('runner').nc).publish(names.stock.subject('back', sku), encode({ probe: 'back in stock' }));
    const back = await (await js.consumers.get(names.stock.stream, names.notify.durable)).next({ expires: 3_000 });
    expect(back?.subject).toBe(names.stock.subject('back', sku));
    const notified = await js.publish(names.stock.notifySubject(sku), encode({ probe: 'notify' }), { msgID: `notify:${back?.seq ?? 0}:1` });
    expect(notified.stream).toBe(names.stock.stream);
    expect(await back?.ackAck()).toBe(true);
    await jsm.consumers.delete(names.stock.stream, names.notify.durable);
    // Only notify events: a back, out or changed event stays the runners'.
    await publishRefused('api', names.stock.subject('back', sku));
  });

  // The operations routes (apps/api/src/Routes/OperationsRoutes.ts) through the very functions they call.
  it('reads the runner registry and the shard leases as /v1/ops/runners and /v1/ops/auditor do (Ops/OwnershipReads.ts)', async () => {
    const runnerId = ProcessId.make(`runner-${nuid.next()}`);
    const runnerKvm = new Kvm(as('runner').nc);
    const now = Date.now();
    // The buckets' TTL is the lease TTL (3 s): written just before the reads, as a live runner keeps them.
    await (await runnerKvm.open(names.buckets.runners)).put(
      names.keys.runner(runnerId),
      encodeRunnerMember({ v: 1, runner: runnerId, startedAt: now, heartbeatAt: now, draining: false, shards: [shard] }),
    );
    const leaseRevision = await (await runnerKvm.open(names.buckets.shardLeases)).put(
      names.keys.lease(shard),
      encodeShardLease({ v: 1, runner: runnerId, epoch: 1, acquiredAt: now }),
    );

    const { nc, jsm, violations } = as('api');
    const kvm = new Kvm(nc);
    const reader = makeLeaseReader(names, jsm, await kvm.open(names.buckets.shardLeases), await kvm.open(names.buckets.runners));
    const report = runnersReport(await Effect.runPromise(readOwnership(reader, names.allShards)), names);
    expect(report.runners.find((r) => r.runner === runnerId)?.shards).toEqual([shard]);
    expect(report.unowned).not.toContain(shard);
    expect((await Effect.runPromise(reader.current(shard)))?.revision).toBe(leaseRevision);
    expect(violations.all().filter((v) => v.subject.includes(names.buckets.runners) || v.subject.includes(names.buckets.shardLeases))).toEqual([]);
  });

  it('may not write a lease, write or delete a runner record, purge either bucket, nor watch it', async () => {
    const kvm = new Kvm(as('api').nc);
    const leases = await kvm.open(names.buckets.shardLeases);
    const runners = await kvm.open(names.buckets.runners);
    const lease = names.keys.lease(shard);
    const runner = names.keys.runner(ProcessId.make('runner-any'));
    const forged = encodeShardLease({ v: 1, runner: ProcessId.make('runner-forged'), epoch: 1, acquiredAt: Date.now() });
    expect((await refused(leases.put(lease, forged))).subject).toBe(`$KV.${names.buckets.shardLeases}.${lease}`);
    expect((await refused(leases.delete(lease))).subject).toBe(`$KV.${names.buckets.shardLeases}.${lease}`);
    expect((await refused(runners.put(runner, '{}'))).subject).toBe(`$KV.${names.buckets.runners}.${runner}`);
    expect((await refused(runners.delete(runner))).subject).toBe(`$KV.${names.buckets.runners}.${runner}`);
    expect((await refused(runners.purge(runner))).subject).toBe(`$KV.${names.buckets.runners}.${runner}`);
    const { jsm } = as('api');
    for (const bucket of [names.buckets.shardLeases, names.buckets.runners]) {
      const stream = `KV_${bucket}`;
      expect((await refused(jsm.streams.purge(stream))).subject).toBe(`$JS.API.STREAM.PURGE.${stream}`);
      expect((await refused(jsm.streams.deleteMessage(stream, 1))).subject).toBe(`$JS.API.STREAM.MSG.DELETE.${stream}`);
      const watch = await refused(jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_subject: `${inboxPrefixOf.api}.watch` }));
      expect(watch.subject.startsWith(`$JS.API.CONSUMER.CREATE.${stream}`)).toBe(true);
    }
  });

  it('lists and replays the command dead letters as /v1/ops/dead-letters and …/replay do, one copy per replay', async () => {
    const deadSku = Sku.make('dead-letter-probe');
    const original = encode({ probe: 'a command that failed' });
    const letter = await jetstream(as('runner').nc).publish(
      names.deadLetters.subject(names.shardOf(deadSku)),
      encodeDeadLetter({
        v: 1,
        reason: 'probe',
        subject: names.commands.subject(deadSku),
        original,
        headers: {},
        failedAt: EpochMillis.make(Date.now()),
        deliveries: 1,
      }),
    );
    const { nc, jsm } = as('api');
    const listed = (await listDeadLetters(jsm, names)).map(deadLetterEntry);
    expect(listed).toContainEqual(expect.objectContaining({ seq: letter.seq, readable: true, subject: names.commands.subject(deadSku), reason: 'probe' }));

    const result = await replayDeadLetters(jetstream(nc), jsm, names);
    expect(result.replayed).toBeGreaterThanOrEqual(1);
    expect(result.skipped.map((s) => s.seq)).not.toContain(letter.seq);
    expect((await listDeadLetters(jsm, names)).map((l) => l.seq)).not.toContain(letter.seq);
    // Back in INV_CMD under a message id of its own (a second replay of the same letter is deduplicated).
    const replayed = await as('operator').jsm.streams.getMessage(names.commands.stream, { last_by_subj: names.commands.subject(deadSku) });
    expect(replayed?.data).toEqual(original);
    expect(replayed?.header.get('Nats-Msg-Id')).toBe(`replay:${names.deadLetters.stream}:${letter.seq}`);
  });

  it('may not purge or delete INV_DLQ, nor delete or read messages of INV_CMD', async () => {
    const { jsm } = as('api');
    expect((await refused(jsm.streams.purge(names.deadLetters.stream))).subject).toBe(`$JS.API.STREAM.PURGE.${names.deadLetters.stream}`);
    expect((await refused(jsm.streams.delete(names.deadLetters.stream))).subject).toBe(`$JS.API.STREAM.DELETE.${names.deadLetters.stream}`);
    expect((await refused(jsm.streams.deleteMessage(names.commands.stream, 1))).subject).toBe(`$JS.API.STREAM.MSG.DELETE.${names.commands.stream}`);
    expect((await refused(jsm.streams.getMessage(names.commands.stream, { seq: 1 }))).subject).toBe(`$JS.API.STREAM.MSG.GET.${names.commands.stream}`);
  });

  it('may not delete messages of the journal or of STOCK, nor consume INV_CMD', async () => {
    const { jsm } = as('api');
    expect((await refused(jsm.streams.deleteMessage(names.stock.stream, 1))).subject).toBe(`$JS.API.STREAM.MSG.DELETE.${names.stock.stream}`);
    expect((await refused(jsm.streams.deleteMessage(names.journal.stream, 1))).subject).toBe(`$JS.API.STREAM.MSG.DELETE.${names.journal.stream}`);
    const violation = await refused(jsm.consumers.add(names.commands.stream, { durable_name: 'not-the-api', ack_policy: AckPolicy.Explicit }));
    expect(violation.subject.startsWith(`$JS.API.CONSUMER.`)).toBe(true);
  });

  it('checks that every stream exists (stream info only)', async () => {
    for (const stream of [names.commands.stream, names.journal.stream, names.deadLetters.stream, names.stock.stream]) {
      expect((await as('api').jsm.streams.info(stream)).config.name).toBe(stream);
    }
  });

  it('may not append to the journal, neither as a JetStream nor as a core publish', async () => {
    const violation = await refused(jetstream(as('api').nc).publish(names.journal.subject(sku), encode({ forged: true }), { msgID: nuid.next() }));
    expect(violation.operation).toBe('publish');
    expect(violation.subject).toBe(names.journal.subject(sku));
    await publishRefused('api', names.journal.subject(Sku.make('another-sku')));
  });

  it('may not publish public stock events, dead letters nor runner control requests', async () => {
    await publishRefused('api', names.stock.subject('changed', sku));
    await publishRefused('api', names.deadLetters.subject(shard));
    await publishRefused('api', names.control.subject(ProcessId.make('runner-any')));
  });

  it('may not write the stock bucket', async () => {
    const kv = await new Kvm(as('api').nc).open(names.buckets.stock);
    expect((await refused(kv.put(sku, '{"available":1000000}'))).subject).toBe(`$KV.${names.buckets.stock}.${sku}`);
  });

  it('may not create, update or delete streams (so it cannot run ensureTopology)', async () => {
    const { nc, jsm } = as('api');
    expect((await refused(ensureTopology(nc, jsm, names, defaultTopologyOptions))).subject).toBe(
      `$JS.API.STREAM.UPDATE.${names.commands.stream}`,
    );
    expect((await refused(jsm.streams.add({ name: 'API_SCRATCH', subjects: ['larder.scratch.api'] }))).subject).toBe(
      '$JS.API.STREAM.CREATE.API_SCRATCH',
    );
    expect((await refused(jsm.streams.delete(names.stock.stream))).subject).toBe(`$JS.API.STREAM.DELETE.${names.stock.stream}`);
  });

  it('may answer flow control of its KV watch', async () => {
    await publishAccepted('api', `$JS.FC.KV_${names.buckets.stock}.probe`);
  });

  // KNOWN LIMITATION, docs/security.md "Deliver subjects": the API needs a push consumer for its KV watch,
  // and nats-server (2.9, and later ones until nats-io/nats-server#8274 is fixed) does not check the
  // deliver subject against the creator's publish permissions. A push consumer delivers only while some
  // client subscribes to its deliver subject (here an operator tailing the journal); INV_EVT then stores
  // the deliveries under their own `$KV.` subjects, outside every journal subject that Larder reads.
  // The day this fails, the server checks deliver subjects: update docs/security.md.
  it('can aim a push consumer of its bucket at a journal subject someone tails; INV_EVT stores copies outside the journal subjects', async () => {
    const target = names.journal.subject(Sku.make('push-target'));
    const tail = as('operator').nc.subscribe(target);
    await as('operator').nc.flush();
    const { jsm } = as('operator');
    const before = (await jsm.streams.info(names.journal.stream)).state;
    const consumer = await as('api').jsm.consumers.add(`KV_${names.buckets.stock}`, {
      ack_policy: AckPolicy.None,
      deliver_subject: target,
      filter_subject: `$KV.${names.buckets.stock}.${sku}`,
    });
    const deadline = Date.now() + 3_000;
    let after = before;
    while (after.messages === before.messages && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 50));
      after = (await jsm.streams.info(names.journal.stream)).state;
    }
    await as('api').jsm.consumers.delete(`KV_${names.buckets.stock}`, consumer.name);
    tail.unsubscribe();
    expect(after.messages).toBe(before.messages + 1);
    const copy = await jsm.streams.getMessage(names.journal.stream, { seq: after.last_seq });
    expect(copy?.subject).toBe(`$KV.${names.buckets.stock}.${sku}`);
    expect(copy?.json()).toEqual({ sku, available: 7 });
    // Journal readers filter on the journal subjects (`larder.inv.evt.>`): none of them sees it.
    expect(await jsm.streams.getMessage(names.journal.stream, { last_by_subj: target })).toBeNull();
  });

  it('may not read the journal, live or through a consumer', async () => {
    await subscribeRefused('api', `${names.journal.streamSubjects[0]}`);
    const violation = await refused(as('api').jsm.consumers.add(names.journal.stream, { ack_policy: AckPolicy.None }));
    expect(violation.subject.startsWith(`$JS.API.CONSUMER.CREATE.${names.journal.stream}`)).toBe(true);
  });
});

describe('analyst', () => {
  it('receives public stock events live on stock.>', async () => {
    const sub = as('analyst').nc.subscribe(names.stock.streamSubjects[0] ?? '', { max: 1 });
    await as('analyst').nc.flush();
    const arrived = firstMessage(sub);
    await jetstream(as('runner').nc).publish(names.stock.subject('low', sku), encode({ sku, kind: 'low' }));
    expect((await arrived).subject).toBe(names.stock.subject('low', sku));
  });

  it('reads the STOCK stream message by message: by sequence and the last one of a subject', async () => {
    const { jsm } = as('analyst');
    const info = await jsm.streams.info(names.stock.stream);
    expect(info.state.messages).toBeGreaterThan(0);
    const last = await jsm.streams.getMessage(names.stock.stream, { last_by_subj: names.stock.subject('low', sku) });
    expect(last?.json()).toEqual({ sku, kind: 'low' });
    // Other cases of this file publish on STOCK too: read the same message back by its sequence.
    expect((await jsm.streams.getMessage(names.stock.stream, { seq: last?.seq ?? info.state.first_seq }))?.subject).toBe(names.stock.subject('low', sku));
  });

  it('may not create a consumer, not even on STOCK (its deliver subject could point anywhere)', async () => {
    const violation = await refused(jetstream(as('analyst').nc).consumers.get(names.stock.stream).then((c) => c.next({ expires: 1_000 })));
    expect(violation.subject.startsWith(`$JS.API.CONSUMER.CREATE.${names.stock.stream}`)).toBe(true);
    const push = await refused(as('analyst').jsm.consumers.add(names.stock.stream, { ack_policy: AckPolicy.None, deliver_subject: names.journal.subject(sku) }));
    expect(push.subject.startsWith(`$JS.API.CONSUMER.CREATE.${names.stock.stream}`)).toBe(true);
  });

  it('must use the inbox prefix _INBOX_analyst: with the default one, no reply can reach it', async () => {
    const nc = await nats.connectAs('analyst', { reconnect: false });
    try {
      const violation = await refused(jetstreamManager(nc));
      expect(violation.operation).toBe('subscription');
      expect(violation.subject.startsWith('_INBOX.')).toBe(true);
    } finally {
      await nc.close();
    }
  });

  it('may not publish under inv.> (commands, requests, journal, dead letters) nor ops.>', async () => {
    for (const subject of [
      names.commands.subject(sku),
      names.requests.subject(shard),
      names.journal.subject(sku),
      names.deadLetters.subject(Shard.make(0)),
      names.control.subject(ProcessId.make('runner-any')),
    ]) {
      await publishRefused('analyst', subject);
    }
  });

  it('may not subscribe to inv.> nor read the journal or the stock bucket through JetStream', async () => {
    await subscribeRefused('analyst', `${names.namespace}.inv.>`);
    const journal = await refused(as('analyst').jsm.consumers.add(names.journal.stream, { ack_policy: AckPolicy.None }));
    expect(journal.subject.startsWith(`$JS.API.CONSUMER.CREATE.${names.journal.stream}`)).toBe(true);
    // Binding to a bucket is local; every read of it is a JetStream API call, and refused.
    const kv = await new Kvm(as('analyst').nc).open(names.buckets.stock);
    expect((await refused(kv.status())).subject).toBe(`$JS.API.STREAM.INFO.KV_${names.buckets.stock}`);
    expect((await refused(kv.get(sku))).subject).toMatch(new RegExp(`^\\$JS\\.API\\.(DIRECT|STREAM\\.MSG)\\.GET\\.KV_${names.buckets.stock}`));
  });

  it('may not write KV nor delete the STOCK stream', async () => {
    await publishRefused('analyst', `$KV.${names.buckets.stock}.${sku}`);
    expect((await refused(as('analyst').jsm.streams.delete(names.stock.stream))).subject).toBe(`$JS.API.STREAM.DELETE.${names.stock.stream}`);
  });
});

describe('operator', () => {
  it('reads everything: a journal append is seen live', async () => {
    const sub = as('operator').nc.subscribe(names.journal.subject(sku), { max: 1 });
    await as('operator').nc.flush();
    const arrived = firstMessage(sub);
    await jetstream(as('runner').nc).publish(names.journal.subject(sku), encode({ events: ['seen'] }), { msgID: nuid.next() });
    expect((await arrived).subject).toBe(names.journal.subject(sku));
  });

  it('replays a dead letter: republishes it to INV_CMD and deletes it from INV_DLQ', async () => {
    const deadLetter = await jetstream(as('runner').nc).publish(names.deadLetters.subject(shard), encode({ dead: true }));
    const h = headers();
    h.set('Larder-Replayed-From', String(deadLetter.seq));
    const replayed = await jetstream(as('operator').nc).publish(names.commands.subject(sku), encode({ replayed: true }), {
      headers: h,
      msgID: `replay:${names.deadLetters.stream}:${deadLetter.seq}`,
    });
    expect(replayed.stream).toBe(names.commands.stream);
    expect(await as('operator').jsm.streams.deleteMessage(names.deadLetters.stream, deadLetter.seq)).toBe(true);
  });

  it('creates, purges and deletes streams', async () => {
    const { jsm } = as('operator');
    await jsm.streams.add({ name: 'LARDER_SCRATCH', subjects: [`${names.namespace}.scratch.>`] });
    expect((await jsm.streams.purge('LARDER_SCRATCH')).success).toBe(true);
    expect(await jsm.streams.delete('LARDER_SCRATCH')).toBe(true);
  });

  it('repairs the stock view (larder rebuild-projections writes KV stock)', async () => {
    const kv = await new Kvm(as('operator').nc).open(names.buckets.stock);
    expect(await kv.put(sku, JSON.stringify({ sku, available: 7 }))).toBeGreaterThan(0);
  });

  it('may not append to the journal nor write the shard leases or the runner registry', async () => {
    await publishRefused('operator', names.journal.subject(sku));
    await publishRefused('operator', `$KV.${names.buckets.shardLeases}.${names.keys.lease(shard)}`);
    await publishRefused('operator', `$KV.${names.buckets.runners}.${names.keys.runner(ProcessId.make('runner-any'))}`);
  });
});
