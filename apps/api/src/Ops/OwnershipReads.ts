// The API's read-only view of shard ownership for the operator console: live runners (KV `runners`)
// and shard leases (KV `shard_leases`), read through @larder/messaging's LeaseReader like
// `larder runners`. The buckets are opened on first use; a failed opening is tried again next time.
import {
  byRunner,
  makeLeaseReader,
  readOwnership,
  runnersReport,
  type LeaseReader,
  type LeaseStoreError,
  type Names,
  type RunnerMember,
  type RunnersReport,
} from '@larder/messaging';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Effect, Either } from 'effect';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';

export interface OwnershipReads {
  readonly report: () => Promise<RunnersReport>;
  /** Live runners' heartbeats, in the order of their ids. */
  readonly members: () => Promise<ReadonlyArray<RunnerMember>>;
}

export const makeOwnershipReads = (nc: NatsConnection, jsm: JetStreamManager, names: Names): OwnershipReads => {
  let opening: Promise<LeaseReader> | undefined = undefined;
  const reader = () => {
    opening ??= (async () => {
      const kvm = new Kvm(nc);
      const [leases, runners] = await Promise.all([kvm.open(names.buckets.shardLeases), kvm.open(names.buckets.runners)]);
      return makeLeaseReader(names, jsm, leases, runners);
    })().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  /** One read; a NATS failure is a 503 naming what could not be read. */
  const read = <A>(work: (reader: LeaseReader) => Effect.Effect<A, LeaseStoreError>) =>
    orStoreUnavailable(
      'runner membership and shard leases (NATS KV)',
      (async () => {
        const result = await Effect.runPromise(Effect.either(work(await reader())));
        return Either.getOrThrowWith(result, (error) => new Error(`${error.operation}: ${error.detail}`));
      })(),
    );
  return {
    report: async () => runnersReport(await read((r) => readOwnership(r, names.allShards)), names),
    members: async () => [...(await read((r) => r.members))].sort(byRunner),
  };
};
