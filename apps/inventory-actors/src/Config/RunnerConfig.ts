// Everything a runner reads from its environment, decoded once at start-up with effect's Config;
// a bad value stops the process with a message naming the variable.
import { NatsConfig, type Namespace, type Shard, type Shards } from '@larder/messaging';
import { DatabaseConfig } from '@larder/persistence';
import { Config, Either } from 'effect';
import { defaultActorPolicy, type ActorPolicy } from './ActorPolicy.js';
import { parseShardList } from './ShardList.js';

export interface RunnerConfig {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly databaseSchema: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly namespace: Namespace;
  readonly shards: Shards;
  /**
   * `fair`: take a fair share of the shards through leases, rebalanced as runners come and go (default).
   * A list (or `all`): only these shards, still through leases, so two runners never serve one shard.
   */
  readonly ownedShards: 'fair' | 'all' | ReadonlyArray<Shard>;
  /** Lease TTL for a new lease bucket (an existing bucket keeps its own; the runner reads it). */
  readonly leaseTtlMs: number;
  readonly leaseRenewMs: number;
  readonly balanceEveryMs: number;
  readonly replicas: number;
  readonly maxDeliveries: number;
  readonly appendTimeoutMs: number;
  readonly policy: ActorPolicy;
}

const int = (name: string, fallback: number) => Config.integer(name).pipe(Config.withDefault(fallback));

export const RunnerConfig: Config.Config<RunnerConfig> = Config.all({
  nats: NatsConfig,
  database: DatabaseConfig,
  redisUrl: Config.string('REDIS_URL').pipe(Config.withDefault('redis://127.0.0.1:6379')),
  redisPrefix: Config.string('LARDER_REDIS_PREFIX').pipe(Config.withDefault('larder:')),
  ownedShardsRaw: Config.string('LARDER_OWNED_SHARDS').pipe(Config.withDefault('fair')),
  leaseTtlMs: int('LARDER_LEASE_TTL_MS', 3_000),
  leaseRenewMs: int('LARDER_LEASE_RENEW_MS', 500),
  balanceEveryMs: int('LARDER_BALANCE_EVERY_MS', 500),
  replicas: int('LARDER_REPLICAS', 1),
  maxDeliveries: int('LARDER_MAX_DELIVERIES', 5),
  appendTimeoutMs: int('LARDER_APPEND_TIMEOUT_MS', 5_000),
  policy: Config.all({
    maxBatch: int('LARDER_MAX_BATCH', defaultActorPolicy.maxBatch),
    mailboxSize: int('LARDER_MAILBOX_SIZE', defaultActorPolicy.mailboxSize),
    snapshotEveryEvents: int('LARDER_SNAPSHOT_EVERY_EVENTS', defaultActorPolicy.snapshotEveryEvents),
    snapshotEveryMs: int('LARDER_SNAPSHOT_EVERY_MS', defaultActorPolicy.snapshotEveryMs),
    passivateAfterMs: int('LARDER_PASSIVATE_AFTER_MS', defaultActorPolicy.passivateAfterMs),
    expiryTickMs: int('LARDER_EXPIRY_TICK_MS', defaultActorPolicy.expiryTickMs),
    groupCommit: Config.boolean('LARDER_GROUP_COMMIT').pipe(Config.withDefault(defaultActorPolicy.groupCommit)),
  }),
}).pipe(
  Config.mapOrFail(({ ownedShardsRaw, nats, database, ...rest }) =>
    Either.map(parseShardList(ownedShardsRaw, nats.shards), (ownedShards) => ({ ...rest, ...nats, ...database, ownedShards })),
  ),
);
