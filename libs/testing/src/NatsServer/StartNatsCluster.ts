// A private JetStream cluster of nats-server processes on loopback (free client and route ports), for
// tests of replicated streams and leader loss. Each node is stopped by its own pid.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './FreePort.js';
import { startNatsServer, type RunningNatsServer } from './StartNatsServer.js';

export interface NatsClusterNode {
  /** Server name (`n1`, `n2`, …): what JetStream reports as a stream's leader. */
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** The running process, or null while stopped. */
  readonly server: () => RunningNatsServer | null;
  /** Starts it again on the same ports and store (after a kill). */
  readonly restart: () => Promise<void>;
}

export interface RunningNatsCluster {
  readonly nodes: ReadonlyArray<NatsClusterNode>;
  /** Every node's client URL, comma-separated (for NATS_URL). */
  readonly urls: string;
  readonly stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Until the cluster has elected its JetStream meta leader (a fresh cluster answers nothing before). */
const waitForJetStream = async (urls: ReadonlyArray<string>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const nc = await connect({ servers: [...urls], timeout: 2_000 }).catch((error: unknown) => ((last = error), null));
    if (nc !== null) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 2_000 });
        await jsm.getAccountInfo();
        return;
      } catch (error) {
        last = error;
      } finally {
        await nc.close();
      }
    }
    await sleep(250);
  }
  throw new Error(`the NATS cluster elected no JetStream leader within ${timeoutMs} ms: ${String(last)}`);
};

export const startNatsCluster = async (size = 3, clusterName = 'larder-test'): Promise<RunningNatsCluster> => {
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), route: await freePort() })));
  const root = await mkdtemp(join(tmpdir(), 'larder-nats-cluster-'));
  const routes = ports.map((p) => `nats://127.0.0.1:${p.route}`).join(',');
  const nodes = ports.map((p, i) => {
    const name = `n${i + 1}`;
    let server: RunningNatsServer | null = null;
    const start = async () => {
      server = await startNatsServer({
        jetstream: true,
        port: p.client,
        storeDir: join(root, name),
        args: ['-n', name, '--cluster_name', clusterName, '--cluster', `nats://127.0.0.1:${p.route}`, '--routes', routes],
      });
    };
    const node: NatsClusterNode = {
      name,
      port: p.client,
      url: `nats://127.0.0.1:${p.client}`,
      server: () => server,
      restart: start,
    };
    return { node, start, stopNode: async () => server?.stop() };
  });
  try {
    await Promise.all(nodes.map((n) => n.start()));
    await waitForJetStream(nodes.map((n) => n.node.url), 60_000);
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stopNode()));
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes: nodes.map((n) => n.node),
    urls: nodes.map((n) => n.node.url).join(','),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stopNode()));
      await rm(root, { recursive: true, force: true });
    },
  };
};
