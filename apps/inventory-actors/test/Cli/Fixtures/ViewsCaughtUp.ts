// Waits until KV `stock` and the Redis mirror of each SKU say the SKU's last journal sequence: the
// projections have caught up, so an audit compares settled values.
import type { Sku } from '@larder/domain';
import { decodeStockView } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { Either } from 'effect';
import type { Redis } from 'ioredis';
import { redisStockKey } from '../../../src/Projection/RedisStockWriter.js';
import type { RunnerFixture } from '../../Support/RunnerFixture.js';

const lastSeq = async (f: RunnerFixture, sku: Sku) =>
  (await f.jsm.streams.getMessage(f.names.journal.stream, { last_by_subj: f.names.journal.subject(sku) }))?.seq ?? 0;

const kvSeq = async (kv: KV, f: RunnerFixture, sku: Sku) => {
  const entry = await kv.get(f.names.keys.stock(sku));
  if (entry === null || entry.operation !== 'PUT') return 0;
  return Either.match(decodeStockView(entry.value), { onLeft: () => 0, onRight: (v) => v.seq });
};

export const viewsCaughtUp = async (f: RunnerFixture, kv: KV, redis: Redis, prefix: string, skus: ReadonlyArray<Sku>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind: Array<string> = [];
    for (const sku of skus) {
      const [journal, inKv, inRedis] = await Promise.all([lastSeq(f, sku), kvSeq(kv, f, sku), redis.hget(redisStockKey(prefix, sku), 'seq')]);
      if (journal === 0 || inKv !== journal || Number(inRedis) !== journal) behind.push(`${sku}: journal ${journal}, kv ${inKv}, redis ${inRedis}`);
    }
    if (behind.length === 0) return;
    if (Date.now() > deadline) throw new Error(`projections never caught up: ${behind.join('; ')}`);
    await new Promise((done) => setTimeout(done, 100));
  }
};
