// The projector on the real KV bucket, Redis and STOCK stream: views land with the right seq and
// quantities, a burst is coalesced into far fewer writes with an exact final view, an idle system
// projects within milliseconds, and analysts get the right events on `stock.v1.>`.
import { afterAll, beforeAll, describe, expect, it } from '@effect/vitest';
import { decodeStockPublicEvent, type StockPublicEvent } from '@larder/messaging';
import { Effect, Either, Option } from 'effect';
import { makeCoalescingProjector } from '../../src/Projection/CoalescingProjector.js';
import { makeKvStockWriter, readKvStockView } from '../../src/Projection/KvStockWriter.js';
import { makePublicEventWriter } from '../../src/Projection/PublicEventWriter.js';
import { makeRedisStockWriter, readRedisStockView } from '../../src/Projection/RedisStockWriter.js';
import type { StockViewWriter } from '../../src/Projection/StockViewWriter.js';
import { decidedSku, policy, reserve, restock, sale, viewAfter } from './Fixtures/DecidedSku.js';
import { waitUntil } from './Fixtures/WaitUntil.js';
import { openProjectionServices, realAnnouncer, type ProjectionServices } from './Fixtures/ProjectionServices.js';

let s: ProjectionServices;
beforeAll(async () => {
  s = await openProjectionServices();
});
afterAll(async () => {
  await s?.close();
});

/** The real writers, counting KV writes and when each one finished. */
const realProjector = () => {
  const kvWrites: Array<{ readonly seq: number; readonly at: number }> = [];
  const kvWriter = makeKvStockWriter({ kv: s.kv, names: s.names });
  const kv: StockViewWriter = {
    write: (view) => kvWriter.write(view).pipe(Effect.tap(() => Effect.sync(() => kvWrites.push({ seq: view.seq, at: performance.now() })))),
  };
  const redis = makeRedisStockWriter({ redis: s.redis, prefix: s.redisPrefix });
  const events = makePublicEventWriter({ js: s.js, names: s.names });
  return makeCoalescingProjector({ kv, redis, events, announcer: realAnnouncer(s), channels: () => [] }).pipe(Effect.map((projector) => ({ projector, kvWrites })));
};


describe('given two SKUs with holds and sales', () => {
  it.scopedLive('lands the newest views in KV and in Redis with their seq and quantities', () =>
    Effect.gen(function* () {
      const { projector } = yield* realProjector();
      const a = decidedSku('LAND-A', 100);
      const b = decidedSku('LAND-B', 500);
      projector.applied(a.run(restock(20), policy({ safetyStock: 2 })));
      projector.applied(b.run(restock(5)));
      const lastA = a.run(reserve('r1', 6), sale(3));
      const lastB = b.run(sale(5));
      projector.applied(lastA);
      projector.applied(lastB);
      yield* projector.flush;
      for (const last of [lastA, lastB]) {
        const expected = viewAfter(last);
        const kv = yield* Effect.promise(() => readKvStockView(s.kv, s.names, last.state.sku));
        const redis = yield* Effect.promise(() => readRedisStockView(s.redis, s.redisPrefix, last.state.sku));
        expect(kv.view).toStrictEqual(Option.some(expected));
        expect(redis?.view).toStrictEqual(expected);
        expect(redis?.hash).toMatchObject({ seq: last.seq, onHand: expected.onHand, reserved: expected.reserved, available: expected.available });
      }
      expect(viewAfter(lastA)).toMatchObject({ seq: 101, onHand: 17, reserved: 6, safetyStock: 2, available: 9 });
    }),
  );
});

describe('given a flash sale: 1,000 batches for one SKU in quick succession', () => {
  it.scopedLive('writes far fewer times than it was given batches, and the final view is exact', () =>
    Effect.gen(function* () {
      const { projector, kvWrites } = yield* realProjector();
      const hot = decidedSku('FLASH-1');
      projector.applied(hot.run(restock(5_000)));
      // Decided up front, so they arrive as fast as a hot SKU's group commits do.
      const batches = Array.from({ length: 1_000 }, () => hot.run(sale(1)));
      const started = performance.now();
      for (const [i, batch] of batches.entries()) {
        projector.applied(batch);
        // 50 per event-loop turn over 20 turns, so writes run while batches keep coming.
        if (i % 50 === 49) yield* Effect.promise(() => new Promise((resolve) => setImmediate(resolve)));
      }
      const applying = performance.now() - started;
      yield* projector.flush;
      const stored = yield* Effect.promise(() => readKvStockView(s.kv, s.names, hot.sku));
      expect(stored.view).toStrictEqual(Option.some(viewAfter(hot.lastBatch())));
      expect(Option.getOrThrow(stored.view)).toMatchObject({ seq: 1_001, onHand: 4_000 });
      const mirrored = yield* Effect.promise(() => readRedisStockView(s.redis, s.redisPrefix, hot.sku));
      expect(mirrored?.hash.seq).toBe(1_001);
      console.info(`flash sale: 1000 batches over 20 event-loop turns (${applying.toFixed(1)} ms with the writes) → ${kvWrites.length} KV writes`);
      // At most one write per turn (each waits for its answer), plus the restock's and the last one.
      expect(kvWrites.length).toBeLessThanOrEqual(22);
    }),
  );
});

describe('given an idle system', () => {
  // Freshness is measured in bench/ (a ratio, never a timed assertion); here: no batch waits for a
  // timer or for the next batch to be written.
  it.scopedLive('writes every batch on its own, without waiting for another one', () =>
    Effect.gen(function* () {
      const { projector, kvWrites } = yield* realProjector();
      const sku = decidedSku('FRESH-1');
      const seqs: Array<number> = [];
      for (let i = 0; i < 200; i++) {
        const batch = sku.run(restock(1));
        projector.applied(batch);
        seqs.push(batch.seq);
        yield* waitUntil(() => kvWrites.some((w) => w.seq === batch.seq), 5_000);
      }
      expect(kvWrites.map((w) => w.seq)).toEqual(seqs);
    }),
  );
});

describe('given an analyst subscribed to stock.v1.>', () => {
  it.scopedLive('receives back, changed, low, shortfall and out as the stock moves, out and back for the SKU and for its location', () =>
    Effect.gen(function* () {
      const received: Array<StockPublicEvent & { readonly subject: string }> = [];
      const sub = s.nc.subscribe(s.names.stock.streamSubjects[0] ?? '', {
        callback: (_, msg) => {
          const decoded = decodeStockPublicEvent(msg.data);
          if (Either.isRight(decoded)) received.push({ ...decoded.right, subject: msg.subject });
        },
      });
      yield* Effect.addFinalizer(() => Effect.sync(() => sub.unsubscribe()));
      yield* Effect.promise(() => s.nc.flush());
      const { projector } = yield* realProjector();
      const jerky = decidedSku('ANALYST-1', 40);
      for (const batch of [jerky.run(restock(10), policy({ lowStockThreshold: 3 })), jerky.run(sale(8)), jerky.run(sale(4))]) {
        projector.applied(batch);
        yield* projector.flush;
      }
      yield* waitUntil(() => received.length >= 9);
      expect(received.map((e) => [e.kind, e.seq, e.scope])).toStrictEqual([
        ['back', 40, 'sku'],
        ['back', 40, 'location'],
        ['changed', 40, 'location'],
        ['changed', 41, 'location'],
        ['low', 41, 'location'],
        ['out', 42, 'sku'],
        ['out', 42, 'location'],
        ['shortfall', 42, 'location'],
        ['changed', 42, 'location'],
      ]);
      expect(received.find((e) => e.kind === 'back' && e.scope === 'sku')).toMatchObject({ onHand: 10, available: 10 });
      expect(received.find((e) => e.kind === 'back' && e.scope === 'sku')?.location).toBeUndefined();
      for (const e of received) expect(e.subject).toBe(s.names.stock.subject(e.kind, jerky.sku));
      expect(received.find((e) => e.kind === 'shortfall')).toMatchObject({ shortfall: 2, onHand: -2, available: 0 });
    }),
  );
});
