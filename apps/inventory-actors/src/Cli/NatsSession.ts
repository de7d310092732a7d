// The CLI's NATS connection (credentials and TLS from NATS_* like every Larder process), the deployment's
// names, and the KV buckets it reads, each opened only if it exists: a missing one almost always means
// LARDER_NAMESPACE does not name a deployment, and the error says so.
import { acquireLarderConnection, makeNames, ProcessId, type Names } from '@larder/messaging';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { nuid, type NatsConnection } from '@nats-io/transport-node';
import { Effect } from 'effect';
import type { CliConfig } from './CliConfig.js';
import { CliError, describeError } from './CliErrors.js';

export interface NatsSession {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Names;
  readonly processId: ProcessId;
  /** Opens a KV bucket that must exist. */
  readonly bucket: (name: string) => Effect.Effect<KV, CliError>;
  /** A failure of a JetStream call on `what` (a stream, consumer or bucket), as one line. */
  readonly failure: (what: string) => (error: unknown) => CliError;
}

export const isNotFound = (error: unknown): boolean =>
  error instanceof JetStreamApiError && (error.code === JetStreamApiCodes.StreamNotFound || error.code === JetStreamApiCodes.ConsumerNotFound);

/** Connects in the current scope; the connection drains when the scope closes. */
export const openNatsSession = (config: CliConfig) =>
  Effect.gen(function* () {
    const { natsUrl, namespace, shards } = config.nats;
    const names = makeNames(namespace, { shards });
    const processId = ProcessId.make(`larder-cli-${nuid.next()}`);
    const { nc, js, jsm } = yield* acquireLarderConnection(natsUrl, names, processId).pipe(
      Effect.mapError((error) => new CliError({ message: describeError(error) })),
    );
    const failure = (what: string) => (error: unknown) =>
      new CliError({
        message: isNotFound(error)
          ? `${what} does not exist in namespace "${namespace}": check LARDER_NAMESPACE, or start a runner there first`
          : `${what}: ${describeError(error)}`,
      });
    const kvm = new Kvm(nc);
    const bucket = (name: string) =>
      Effect.tryPromise({
        // `open` does not check that the bucket exists; `status` does.
        try: async () => {
          const kv = await kvm.open(name);
          await kv.status();
          return kv;
        },
        catch: failure(`KV bucket ${name}`),
      });
    const session: NatsSession = { nc, js, jsm, names, processId, bucket, failure };
    return session;
  });
