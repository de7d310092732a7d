// A Redis outage on a private redis-server: while it is down, actors are never held up and KV stays
// current; the projector warns once, and when Redis is back on the same port the mirror catches up.
import { describe, expect, it } from '@effect/vitest';
import { freePort, startRedisServer } from '@larder/testing';
import { Effect, Either, Option } from 'effect';
import { makeCoalescingProjector } from '../../src/Projection/CoalescingProjector.js';
import { makeKvStockWriter, readKvStockView } from '../../src/Projection/KvStockWriter.js';
import { makePublicEventWriter } from '../../src/Projection/PublicEventWriter.js';
import { makeRedisStockWriter, readRedisStockView } from '../../src/Projection/RedisStockWriter.js';
import { decidedSku, restock, sale, type DecidedSku } from './Fixtures/DecidedSku.js';
import { capturedLogs } from './Fixtures/FakeTargets.js';
import { openProjectionServices, realAnnouncer, redisClient } from './Fixtures/ProjectionServices.js';
import { waitUntil } from './Fixtures/WaitUntil.js';

const prefix = 'outage:';

describe('given the Redis mirror goes down and comes back on the same port', () => {
  it.scopedLive('keeps KV current, never holds up an actor, warns once and catches the mirror up', () => {
    const logs = capturedLogs();
    return Effect.gen(function* () {
      const s = yield* Effect.acquireRelease(Effect.promise(openProjectionServices), (s) => Effect.promise(s.close));
      const port = yield* Effect.promise(freePort);
      let server = yield* Effect.promise(() => startRedisServer(port));
      yield* Effect.addFinalizer(() => Effect.promise(() => server.stop()));
      const redis = redisClient(server.url, 50);
      yield* Effect.promise(() => redis.connect());
      yield* Effect.addFinalizer(() => Effect.sync(() => redis.disconnect()));
      const projector = yield* makeCoalescingProjector({
        kv: makeKvStockWriter({ kv: s.kv, names: s.names }),
        redis: makeRedisStockWriter({ redis, prefix }),
        events: makePublicEventWriter({ js: s.js, names: s.names }),
        announcer: realAnnouncer(s),
        channels: () => [],
        policy: { concurrency: 8, writeTimeoutMs: 1_000, retryBaseMs: 20, retryMaxMs: 250 },
      });
      const jerky: DecidedSku = decidedSku('OUTAGE-1');
      projector.applied(jerky.run(restock(100)));
      yield* projector.flush;
      expect((yield* Effect.promise(() => readRedisStockView(redis, prefix, jerky.sku)))?.hash.seq).toBe(1);

      yield* Effect.promise(() => server.stop());
      let slowestApplied = 0;
      let last = jerky.run(sale(1));
      for (let i = 0; i < 40; i++) {
        if (i > 0) last = jerky.run(sale(1));
        const started = performance.now();
        projector.applied(last);
        slowestApplied = Math.max(slowestApplied, performance.now() - started);
        yield* Effect.sleep('5 millis');
      }
      // Not a speed claim: a call that waited on the dead Redis would take the write timeout (1 s).
      expect(slowestApplied).toBeLessThan(250);
      const kvSeq = async () => Option.getOrUndefined((await readKvStockView(s.kv, s.names, jerky.sku)).view)?.seq;
      yield* waitUntil(async () => (await kvSeq()) === last.seq);
      const flushed = yield* Effect.either(projector.flush);
      expect(Either.isLeft(flushed) && flushed.left.detail).toContain('Redis mirror');
      expect(projector.pending()).toStrictEqual({ kv: 0, redis: 1, events: 0 });

      server = yield* Effect.promise(() => startRedisServer(port));
      // The new server is empty (no persistence, no cached script): the mirror is rebuilt from the newest view.
      yield* waitUntil(async () => (await readRedisStockView(redis, prefix, jerky.sku))?.hash.seq === last.seq, 10_000);
      yield* projector.flush;
      const mirrored = yield* Effect.promise(() => readRedisStockView(redis, prefix, jerky.sku));
      expect(mirrored?.view).toMatchObject({ seq: 41, onHand: 60, available: 60 });

      const warnings = logs.lines.filter((l) => l.level === 'WARN');
      expect(warnings.map((w) => w.message)).toStrictEqual([expect.stringContaining('Redis mirror is behind; reads through the API are unaffected')]);
      expect(logs.lines.some((l) => l.level === 'INFO' && l.message.includes('Redis mirror is back'))).toBe(true);
    }).pipe(Effect.provide(logs.layer));
  });
});
