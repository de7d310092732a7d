// The auditor's sources on a runner fixture's real stores (INV_EVT, KV `stock`, the Redis mirror, the
// Postgres snapshots), and a wait until every projection of a SKU has caught up with a journal sequence.
import type { Sku } from '@larder/domain';
import { Kvm, type KV } from '@nats-io/kv';
import { Effect } from 'effect';
import { Redis } from 'ioredis';
import { makeAuditSources, type AuditSources } from '../../../src/Audit/AuditSources.js';
import { openActorServices } from '../../Support/ActorServices.js';
import type { RunnerFixture } from '../../Support/RunnerFixture.js';

export interface AuditWorld {
  readonly sources: AuditSources;
  readonly kv: KV;
  readonly redis: Redis;
  readonly redisPrefix: string;
  readonly close: () => Promise<void>;
}

const setting = (f: RunnerFixture, name: string): string => {
  const value = f.env[name];
  if (value === undefined) throw new Error(`the fixture has no ${name}`);
  return value;
};

/** Needs the schema migrated: open it after a runner of the fixture has started. */
export const openAuditWorld = async (f: RunnerFixture): Promise<AuditWorld> => {
  const services = await openActorServices(f);
  const kv = await new Kvm(f.nc).open(f.names.buckets.stock);
  const redis = new Redis(setting(f, 'REDIS_URL'));
  const redisPrefix = setting(f, 'LARDER_REDIS_PREFIX');
  const sources = makeAuditSources({ journal: services.journal, snapshots: services.snapshots, kv, names: f.names, redis, redisPrefix });
  return {
    sources,
    kv,
    redis,
    redisPrefix,
    close: async () => {
      await redis.quit();
      await services.close();
    },
  };
};

/** Resolves once KV, the Redis mirror and the snapshot of `sku` all say `seq`. */
export const waitForProjections = async (sources: AuditSources, sku: Sku, seq: number, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const seen = await Effect.runPromise(Effect.all([sources.kv(sku), sources.redis(sku), sources.snapshot(sku)]));
    if (seen.every((o) => o._tag === 'Present' && o.seq === seq)) return;
    last = seen.map((o) => (o._tag === 'Present' ? `seq ${o.seq}` : o._tag)).join(', ');
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`the projections of ${sku} never reached seq ${seq}; last seen (kv, redis, snapshot): ${last}`);
};
