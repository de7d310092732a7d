// A test file's own corner of the real NATS server: a fresh namespace from @larder/testing, its
// Names, a connection, and a cleanup that deletes every stream of that namespace.
import { deleteNamespaceStreams, makeTestNamespace, requireNats } from '@larder/testing';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { makeNames, Namespace, ProcessId, Shards, type Names } from '../../../src/index.js';

export interface TestNats {
  readonly names: Names;
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  /** An inbox prefix for one client of this file (`<ns>._INBOX.<label>`). */
  readonly inboxPrefix: (label: string) => string;
  readonly cleanup: () => Promise<void>;
}

export const connectTestNats = async (shards = 4): Promise<TestNats> => {
  const server = await requireNats();
  const namespace = Namespace.make(makeTestNamespace().nats);
  const names = makeNames(namespace, { shards: Shards.make(shards) });
  const nc = await connect({ servers: server.url });
  const jsm = await jetstreamManager(nc);
  return {
    names,
    nc,
    jsm,
    inboxPrefix: (label) => names.inbox.prefix(ProcessId.make(label)),
    cleanup: async () => {
      await deleteNamespaceStreams(nc, namespace);
      await nc.close();
    },
  };
};
