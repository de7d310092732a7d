// Specification of the coalescing projector on fake targets: newest view only, a lane per target,
// outages kept to their own target, every shortfall published, and an actor never held up.
import { describe, expect, it } from '@effect/vitest';
import { ChannelId, EpochMillis } from '@larder/domain';
import { Deferred, Effect, Either, Exit, Fiber, Scope } from 'effect';
import { makeCoalescingProjector } from '../../src/Projection/CoalescingProjector.js';
import type { ProjectionPolicy } from '../../src/Projection/ProjectionPolicy.js';
import { decidedSku, policy, reserve, restock, sale, viewAfter } from './Fixtures/DecidedSku.js';
import { capturedLogs, fakeAnnouncer, fakeEventWriter, fakeViewWriter } from './Fixtures/FakeTargets.js';
import { waitUntil } from './Fixtures/WaitUntil.js';

const fast: ProjectionPolicy = { concurrency: 4, writeTimeoutMs: 1_000, retryBaseMs: 5, retryMaxMs: 20 };

const setUp = () =>
  Effect.gen(function* () {
    const kv = fakeViewWriter('kv');
    const redis = fakeViewWriter('redis');
    const events = fakeEventWriter();
    const projector = yield* makeCoalescingProjector({ kv, redis, events, announcer: fakeAnnouncer(events), channels: () => [], policy: fast });
    return { kv, redis, events, projector };
  });

describe('given an idle projector', () => {
  it.scopedLive('writes the newest view of each SKU to every target and publishes what changed', () =>
    Effect.gen(function* () {
      const { kv, redis, events, projector } = yield* setUp();
      const a = decidedSku('A-1', 100);
      const b = decidedSku('B-1', 200);
      projector.applied(a.run(restock(10)));
      const last = a.run(reserve('r1', 3));
      projector.applied(last);
      projector.applied(b.run(restock(1)));
      yield* projector.flush;
      const newestA = viewAfter(last);
      expect(kv.written.filter((v) => v.sku === a.sku).at(-1)).toStrictEqual(newestA);
      expect(redis.written.filter((v) => v.sku === a.sku).at(-1)).toStrictEqual(newestA);
      expect(kv.written.find((v) => v.sku === b.sku)).toMatchObject({ seq: 200, onHand: 1 });
      expect(events.written.flat().map((e) => `${e.sku}:${e.kind}`)).toEqual(expect.arrayContaining(['A-1:changed', 'A-1:back', 'B-1:back']));
    }),
  );

  it.scopedLive('forgets a SKU once every target has its newest view, and still tells the next crossing', () =>
    Effect.gen(function* () {
      const { events, projector } = yield* setUp();
      const a = decidedSku('A-2');
      projector.applied(a.run(restock(2)));
      yield* projector.flush;
      expect(projector.tracked()).toBe(0);
      projector.applied(a.run(sale(2)));
      yield* projector.flush;
      // The crossing first (the announcer), then the levels.
      expect(events.written.slice(-2).flat().map((e) => `${e.kind}${'scope' in e ? ` ${e.scope}` : ''}`)).toStrictEqual(['out sku', 'out location', 'changed location']);
    }),
  );
});

describe('given a registered channel and a SKU without lots', () => {
  it.scopedLive('judges the channel like the SKU (every unit is sellable on it), through many batches that leave it in stock', () =>
    Effect.gen(function* () {
      const kv = fakeViewWriter('kv');
      const events = fakeEventWriter();
      const retail = { v: 1 as const, kind: 'channel' as const, channel: ChannelId.make('retail'), name: 'Retail', minShelfLifeDays: 30, handlingDays: 2, updatedAt: EpochMillis.make(0), updatedBy: 'test' };
      const projector = yield* makeCoalescingProjector({ kv, redis: fakeViewWriter('redis'), events, announcer: fakeAnnouncer(events), channels: () => [retail], policy: fast });
      const a = decidedSku('A-CH');
      projector.applied(a.run(restock(3)));
      for (let i = 0; i < 2; i++) projector.applied(a.run(sale(1)));
      projector.applied(a.run(sale(1)));
      yield* projector.flush;
      projector.applied(a.run(restock(1)));
      yield* projector.flush;
      const crossings = events.written.flat().filter((e) => e.kind === 'out' || e.kind === 'back');
      expect(crossings.map((e) => `${e.kind} ${'scope' in e ? e.scope : ''}${'channel' in e && e.channel !== undefined ? ` ${e.channel}` : ''}`)).toStrictEqual([
        'back sku', 'back location', 'back channel retail',
        'out sku', 'out location', 'out channel retail',
        'back sku', 'back location', 'back channel retail',
      ]);
    }),
  );
});

describe('given a write in flight', () => {
  it.scopedLive('coalesces the batches that arrive meanwhile into one write of the newest view', () =>
    Effect.gen(function* () {
      const { kv, projector } = yield* setUp();
      const a = decidedSku('A-3');
      kv.gate = yield* Deferred.make<void>();
      projector.applied(a.run(restock(1_000)));
      yield* waitUntil(() => kv.calls === 1);
      // applied() hands over and returns while the write is held: no write was started for these yet.
      for (let i = 0; i < 500; i++) projector.applied(a.run(sale(1)));
      expect(kv.calls).toBe(1);
      yield* Deferred.succeed(kv.gate, undefined);
      yield* projector.flush;
      expect(kv.calls).toBe(2);
      expect(kv.written.at(-1)).toMatchObject({ seq: 501, onHand: 500 });
    }),
  );

  it.scopedLive('publishes every shortfall of the coalesced batches, each once', () =>
    Effect.gen(function* () {
      const { events, projector } = yield* setUp();
      const a = decidedSku('A-4');
      events.gate = yield* Deferred.make<void>();
      projector.applied(a.run(restock(1), policy({ lowStockThreshold: 5 })));
      yield* waitUntil(() => events.calls === 1);
      projector.applied(a.run(sale(2)));
      projector.applied(a.run(sale(3)));
      yield* Deferred.succeed(events.gate, undefined);
      yield* projector.flush;
      const published = events.written.flat();
      expect(published.filter((e) => e.kind === 'shortfall').map((e) => [e.seq, 'shortfall' in e ? e.shortfall : undefined])).toStrictEqual([[2, 1], [3, 3]]);
      // Out once per scope: the SKU as a whole and its one location.
      expect(published.filter((e) => e.kind === 'out').map((e) => ('scope' in e ? e.scope : undefined))).toStrictEqual(['sku', 'location']);
    }),
  );
});

describe('given the Redis mirror down', () => {
  it.scopedLive('keeps its SKUs dirty and retries with backoff, logging once, while KV and events go on', () => {
    const logs = capturedLogs();
    return Effect.gen(function* () {
      const { kv, redis, events, projector } = yield* setUp();
      const a = decidedSku('A-5');
      redis.down = true;
      for (let i = 0; i < 3; i++) projector.applied(a.run(restock(1)));
      yield* waitUntil(() => redis.calls >= 4);
      const flushed = yield* Effect.either(projector.flush);
      expect(Either.isLeft(flushed) && flushed.left.detail).toContain('Redis mirror: redis: connection refused');
      expect(kv.written.at(-1)).toMatchObject({ seq: 3, onHand: 3 });
      expect(events.written.length).toBeGreaterThan(0);
      expect(projector.pending().redis).toBe(1);

      redis.down = false;
      yield* waitUntil(() => redis.written.length > 0);
      yield* projector.flush;
      expect(redis.written).toMatchObject([{ seq: 3, onHand: 3 }]);
      const warnings = logs.lines.filter((l) => l.level === 'WARN');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.message).toContain('Redis mirror is behind; reads through the API are unaffected');
      expect(logs.lines.some((l) => l.level === 'INFO' && l.message.includes('Redis mirror is back'))).toBe(true);
    }).pipe(Effect.provide(logs.layer));
  });
});

describe('given a target that never answers', () => {
  it.scopedLive('counts the write as failed after the time-out, while the other targets go on', () =>
    Effect.gen(function* () {
      const { kv, redis, projector } = yield* setUp();
      redis.gate = yield* Deferred.make<void>();
      projector.applied(decidedSku('A-6').run(restock(1)));
      const flushed = yield* Effect.either(projector.flush);
      expect(Either.isLeft(flushed) && flushed.left.detail).toContain(`Redis mirror: no answer within ${fast.writeTimeoutMs} ms`);
      expect(kv.written).toHaveLength(1);
    }),
  );

  it.scopedLive('fails a flush still waiting when the projector stops, instead of hanging', () =>
    Effect.gen(function* () {
      const inner = yield* Scope.make();
      const kv = fakeViewWriter('kv');
      const events = fakeEventWriter();
      kv.gate = yield* Deferred.make<void>();
      const projector = yield* makeCoalescingProjector({
        kv,
        redis: fakeViewWriter('redis'),
        events,
        announcer: fakeAnnouncer(events),
        channels: () => [],
        policy: { ...fast, writeTimeoutMs: 60_000 },
      }).pipe(Scope.extend(inner));
      projector.applied(decidedSku('A-7').run(restock(1)));
      const flushing = yield* Effect.fork(Effect.either(projector.flush));
      yield* waitUntil(() => kv.calls === 1);
      yield* Scope.close(inner, Exit.void);
      const flushed = yield* Fiber.join(flushing);
      expect(Either.isLeft(flushed) && flushed.left.detail).toContain('the projector stopped');
    }),
  );
});

describe('given the Redis mirror came back and may have lost what was written', () => {
  it.scopedLive('writes the view of every registered SKU in memory again, to Redis only, until its shard goes', () => {
    const logs = capturedLogs();
    return Effect.gen(function* () {
      const { kv, redis, events, projector } = yield* setUp();
      const a = decidedSku('A-8');
      const b = decidedSku('B-8', 40);
      const [lastA, lastB] = [a.run(restock(4)), b.run(restock(9))];
      projector.applied(lastA);
      projector.applied(lastB);
      yield* projector.flush;
      expect(projector.tracked()).toBe(0);
      const resident = (batch: typeof lastA) => ({ state: batch.state, seq: batch.seq, asOf: viewAfter(batch).asOf });
      const shard = yield* Scope.make();
      yield* projector.residents(Effect.succeed([resident(lastA), resident(lastB)])).pipe(Scope.extend(shard));
      const before = { kv: kv.written.length, redis: redis.written.length, events: events.written.length };

      yield* projector.remirror;
      yield* projector.flush;
      expect(redis.written.slice(before.redis)).toStrictEqual(expect.arrayContaining([viewAfter(lastA), viewAfter(lastB)]));
      expect(redis.written).toHaveLength(before.redis + 2);
      expect({ kv: kv.written.length, events: events.written.length }).toStrictEqual({ kv: before.kv, events: before.events });
      expect(projector.tracked()).toBe(0);

      expect(logs.lines.filter((l) => l.level === 'INFO').map((l) => l.message)).toStrictEqual([
        'Redis mirror reconnected (it may have restarted empty): writing the views of 2 SKUs in memory again',
      ]);

      yield* Scope.close(shard, Exit.void);
      yield* projector.remirror;
      yield* projector.flush;
      expect(redis.written).toHaveLength(before.redis + 2);
    }).pipe(Effect.provide(logs.layer));
  });
});
