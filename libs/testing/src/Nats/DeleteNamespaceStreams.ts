// Cleanup after a test file: deletes every JetStream stream of a namespace, including its KV buckets
// (streams `KV_<bucket>`) and object stores (`OBJ_<bucket>`). Returns the names deleted.
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * True for `<ns>`, `<ns>_…`, `KV_<ns>_…` and `OBJ_<ns>_…`, ignoring case: stream names use the namespace
 * uppercased (`T_AB12_INV_EVT`), bucket names keep it lowercase. The `_` after the namespace keeps
 * `larder` from claiming `larder2_…`.
 */
export const belongsToNamespace = (streamName: string, namespace: string): boolean => {
  const name = streamName.toLowerCase();
  const ns = namespace.toLowerCase();
  const owned = (rest: string) => rest === ns || rest.startsWith(`${ns}_`);
  return owned(name) || owned(name.replace(/^kv_/, '')) || owned(name.replace(/^obj_/, ''));
};

export const deleteNamespaceStreams = async (nc: NatsConnection, namespace: string): Promise<ReadonlyArray<string>> => {
  if (namespace.length === 0) throw new Error('refusing to delete streams for an empty namespace');
  const jsm = await jetstreamManager(nc);
  const doomed: Array<string> = [];
  for await (const name of jsm.streams.names()) {
    if (belongsToNamespace(name, namespace)) doomed.push(name);
  }
  await Promise.all(doomed.map((name) => jsm.streams.delete(name)));
  return doomed;
};
