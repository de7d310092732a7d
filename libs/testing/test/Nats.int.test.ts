// JetStream against the real server in a per-file namespace: Nats-Msg-Id deduplication, a durable pull
// consumer that sees the message once, and namespace cleanup that spares other namespaces.
// Stream names follow docs/architecture.md: the namespace uppercased (`<NS>_INV_CMD`), buckets lowercase.
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespaceStreams, makeTestNamespace, requireNats, type ServiceEndpoint } from '../src/index.js';

const ns = makeTestNamespace();
const other = makeTestNamespace();
let endpoint: ServiceEndpoint;
let nc: NatsConnection;
let jsm: JetStreamManager;

// Cleanup is returned from beforeAll, so a service that is down shows only the error naming what to start.
beforeAll(async () => {
  endpoint = await requireNats();
  nc = await connect({ servers: endpoint.url });
  jsm = await jetstreamManager(nc);
  return async () => {
    await deleteNamespaceStreams(nc, ns.nats);
    await deleteNamespaceStreams(nc, other.nats);
    await nc.close();
    await endpoint.stop();
  };
});

describe('a stream with a duplicate window', () => {
  it('stores a message published twice with the same Nats-Msg-Id once', async () => {
    const stream = `${ns.nats.toUpperCase()}_INV_CMD`;
    const subject = `${ns.nats}.inv.cmd.7.sku-1`;
    await jsm.streams.add({ name: stream, subjects: [`${ns.nats}.inv.cmd.>`], duplicate_window: nanos(120_000) });
    const js = jetstream(nc);

    const first = await js.publish(subject, 'restock 5', { msgID: 'cmd-1' });
    const second = await js.publish(subject, 'restock 5', { msgID: 'cmd-1' });

    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);

    await jsm.consumers.add(stream, { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
    const consumer = await js.consumers.get(stream, 'reader');
    const received: Array<string> = [];
    for await (const msg of await consumer.fetch({ max_messages: 10, expires: 1_000 })) {
      received.push(msg.string());
      msg.ack();
    }
    expect(received).toEqual(['restock 5']);
    expect((await consumer.info()).num_pending).toBe(0);
  });
});

describe('namespace cleanup', () => {
  it('deletes the namespace streams and KV bucket streams, and nothing of another namespace', async () => {
    await jsm.streams.add({ name: `KV_${ns.nats}_stock`, subjects: [`$KV.${ns.nats}_stock.>`] });
    await jsm.streams.add({ name: `${other.nats.toUpperCase()}_INV_EVT`, subjects: [`${other.nats}.inv.evt.>`] });

    const deleted = await deleteNamespaceStreams(nc, ns.nats);

    expect([...deleted].sort()).toEqual([`${ns.nats.toUpperCase()}_INV_CMD`, `KV_${ns.nats}_stock`].sort());
    const left: Array<string> = [];
    for await (const name of jsm.streams.names()) left.push(name);
    expect(left.filter((name) => name.toLowerCase().includes(ns.nats))).toEqual([]);
    expect(left).toContain(`${other.nats.toUpperCase()}_INV_EVT`);
  });
});
