// The lease and runner buckets of a test namespace on the shared NATS, with the fast publisher the
// runner carries its lease writes on, and lease stores on them: what the Ownership tests stand on.
// `close` removes the streams.
import {
  defaultTopologyOptions,
  ensureTopology,
  type JetStreamPublisher,
  makeJetStreamPublisher,
  makeNames,
  Namespace,
  type Names,
  type ProcessId,
  Shards,
} from '@larder/messaging';
import { deleteNamespaceStreams, makeTestNamespace, requireNats } from '@larder/testing';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { makeLeaseStore, type LeaseStore } from '../../src/Ownership/LeaseStore.js';

export interface LeaseBuckets {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly leases: KV;
  readonly runners: KV;
  readonly publisher: JetStreamPublisher;
  /** The lease store of runner `self` on these buckets, writing through the fast publisher. */
  readonly store: (self: ProcessId) => LeaseStore;
  readonly close: () => Promise<void>;
}

/** Names of a fresh test namespace with `shards` shards: one per test file. */
export const leaseTestNames = (shards: number): Names => makeNames(Namespace.make(makeTestNamespace().nats), { shards: Shards.make(shards) });

/** Connects as `self` (its inbox carries the PubAcks) and makes the namespace's topology with `leaseTtlMs`. */
export const openLeaseBuckets = async (names: Names, self: ProcessId, leaseTtlMs: number): Promise<LeaseBuckets> => {
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
    store: (runner) => makeLeaseStore(names, jsm, leases, runners, runner, publisher),
    close: async () => {
      publisher.close();
      await deleteNamespaceStreams(nc, names.namespace);
      await nc.close();
    },
  };
};
