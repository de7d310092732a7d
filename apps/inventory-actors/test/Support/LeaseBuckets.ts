// The lease and runner buckets of a test namespace on the shared NATS, with the fast publisher the
// runner carries its lease writes on: what the Ownership tests stand on. `close` removes the streams.
import {
  defaultTopologyOptions,
  ensureTopology,
  type JetStreamPublisher,
  makeJetStreamPublisher,
  type Names,
  type ProcessId,
} from '@larder/messaging';
import { deleteNamespaceStreams, requireNats } from '@larder/testing';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface LeaseBuckets {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly leases: KV;
  readonly runners: KV;
  readonly publisher: JetStreamPublisher;
  readonly close: () => Promise<void>;
}

/** Connects as `self` (its inbox carries the PubAcks) and makes the namespace's topology with `leaseTtlMs`. */
export const openLeaseBuckets = async (names: Names, namespace: string, self: ProcessId, leaseTtlMs: number): Promise<LeaseBuckets> => {
  const nats = await requireNats();
  const nc = await connect({ servers: nats.url, inboxPrefix: names.inbox.prefix(self) });
  const jsm = await jetstreamManager(nc);
  await ensureTopology(nc, jsm, names, { ...defaultTopologyOptions, leaseTtlMs });
  const kvm = new Kvm(nc);
  const [leases, runners] = await Promise.all([kvm.open(names.buckets.shardLeases), kvm.open(names.buckets.runners)]);
  const publisher = makeJetStreamPublisher(nc, { inboxPrefix: names.inbox.prefix(self), timeoutMs: 5_000 });
  return {
    nc,
    jsm,
    leases,
    runners,
    publisher,
    close: async () => {
      publisher.close();
      await deleteNamespaceStreams(nc, namespace);
      await nc.close();
    },
  };
};
