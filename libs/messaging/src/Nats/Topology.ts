// Creates Larder's streams and KV buckets under a namespace, idempotently, at start-up
// (DESIGN.md §7). Only options nats-server 2.9 understands are used.
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Names } from '../Names/Names.js';

export interface TopologyOptions {
  /** Replicas for every stream and bucket: 1 on one server, 3 (or 5) on a cluster. */
  readonly replicas: number;
  /** INV_CMD's `Nats-Msg-Id` dedupe window (DESIGN.md: at least 2 minutes). */
  readonly dedupeWindowMs: number;
  /** How long public `stock.v1.*` events are kept for analysts who reconnect. */
  readonly publicEventsMaxAgeMs: number;
  /** Lease bucket TTL: a runner that stops renewing loses its shards after this. */
  readonly leaseTtlMs: number;
}

export const defaultTopologyOptions: TopologyOptions = {
  replicas: 1,
  dedupeWindowMs: 2 * 60_000,
  publicEventsMaxAgeMs: 7 * 24 * 60 * 60_000,
  leaseTtlMs: 3_000,
};

export const streamConfigs = (names: Names, options: TopologyOptions): ReadonlyArray<Partial<StreamConfig> & { name: string }> => [
  {
    name: names.commands.stream,
    subjects: [...names.commands.streamSubjects],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: nanos(options.dedupeWindowMs),
    num_replicas: options.replicas,
  },
  {
    // The journal: never trimmed by default (no max_age, no max_msgs).
    name: names.journal.stream,
    subjects: [...names.journal.streamSubjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(options.dedupeWindowMs),
    num_replicas: options.replicas,
  },
  {
    name: names.deadLetters.stream,
    subjects: [...names.deadLetters.streamSubjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: options.replicas,
  },
  {
    name: names.stock.stream,
    subjects: [...names.stock.streamSubjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(options.publicEventsMaxAgeMs),
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas,
  },
  // Webhook delivery (ADR 0015): the log keeps each endpoint's last attempts, the dead letters are kept
  // until replayed (at most 10,000 per endpoint, 90 days), a replay waits in a work queue until delivered again.
  {
    name: names.webhooks.log.stream,
    subjects: [...names.webhooks.log.streamSubjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_msgs_per_subject: WebhookLogPerEndpoint,
    max_age: nanos(30 * 24 * 60 * 60_000),
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas,
  },
  {
    name: names.webhooks.deadLetters.stream,
    subjects: [...names.webhooks.deadLetters.streamSubjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    // Bounded, so listing and replaying an endpoint's letters stays bounded: the newest 10,000 per
    // endpoint, for 90 days (a shop down longer than that is re-synced from stock reads, not replays).
    max_msgs_per_subject: WebhookDeadLettersPerEndpoint,
    max_age: nanos(90 * 24 * 60 * 60_000),
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas,
  },
  {
    name: names.webhooks.replays.stream,
    subjects: [...names.webhooks.replays.streamSubjects],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    num_replicas: options.replicas,
  },
];

/** Delivery attempts kept per webhook endpoint in its log (older ones are dropped). */
export const WebhookLogPerEndpoint = 1_000;
/** Dead letters kept per webhook endpoint (the oldest go first). */
export const WebhookDeadLettersPerEndpoint = 10_000;

/**
 * A POST's record (DESIGN.md §6: its answer for at least 24 h) lives this long after its last change: a
 * day past the longest checkout hold (an hour), so a retry, a commit or a read a day later still finds
 * a reservation, with an hour to spare.
 */
export const RequestRecordTtlMs = 26 * 60 * 60_000;

const isMissing = (error: unknown) => error instanceof Error && /stream not found/i.test(error.message);

/** Adds each stream that is missing and updates one whose config drifted; never deletes data. */
export const ensureTopology = async (nc: NatsConnection, jsm: JetStreamManager, names: Names, options: TopologyOptions) => {
  for (const config of streamConfigs(names, options)) {
    const existing = await jsm.streams.info(config.name).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    if (existing === null) await jsm.streams.add(config);
    else await jsm.streams.update(config.name, { ...existing.config, ...config });
  }
  const kvm = new Kvm(nc);
  await kvm.create(names.buckets.stock, { history: 1, replicas: options.replicas });
  await kvm.create(names.buckets.shardLeases, { history: 1, ttl: options.leaseTtlMs, replicas: options.replicas });
  await kvm.create(names.buckets.runners, { history: 1, ttl: options.leaseTtlMs, replicas: options.replicas });
  await kvm.create(names.buckets.requests, { history: 1, ttl: RequestRecordTtlMs, replicas: options.replicas });
  // Drop definitions: small, kept until deleted, a few revisions for the operator who edits one.
  await kvm.create(names.buckets.drops, { history: 5, replicas: options.replicas });
  // Webhook registrations (with their signing secrets): small, kept until deleted.
  await kvm.create(names.buckets.webhooks, { history: 5, replicas: options.replicas });
  // Pack recipes and locations: small, kept until deleted, a few revisions for the operator who edits one.
  await kvm.create(names.buckets.catalogue, { history: 5, replicas: options.replicas });
  await kvm.create(names.buckets.availability, { history: 1, replicas: options.replicas });
};
