// The runner-wide ticker that replaced one loop per shard: every registered job runs on every tick,
// a job stops with its shard's scope, and one job failing or dying does not stop the others.
import { Effect, Exit, Scope, TestClock, TestContext } from 'effect';
import { describe, expect, it } from 'vitest';
import { makeShardTicker } from '../../src/Shard/ShardTicker.js';

const run = <A>(program: Effect.Effect<A, unknown, Scope.Scope>) => Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(TestContext.TestContext)));

describe.each([false, true])('a shard ticker (concurrent: %s)', (concurrent) => {
  it('runs every job on every tick until its scope closes', () =>
    run(
      Effect.gen(function* () {
        const ticker = yield* makeShardTicker(200, concurrent);
        const counts = { a: 0, b: 0 };
        const a = yield* Scope.make();
        yield* ticker.every('a', Effect.sync(() => void counts.a++)).pipe(Scope.extend(a));
        yield* ticker.every('b', Effect.sync(() => void counts.b++));
        yield* TestClock.adjust('1 second');
        const afterOneSecond = { ...counts };
        yield* Scope.close(a, Exit.void);
        yield* TestClock.adjust('1 second');
        expect(afterOneSecond.a).toBeGreaterThanOrEqual(5);
        expect(afterOneSecond.b).toBe(afterOneSecond.a);
        expect(counts.a).toBe(afterOneSecond.a); // a's scope closed: no more ticks for it
        expect(counts.b).toBeGreaterThanOrEqual(afterOneSecond.b + 5);
      }),
    ));

  it('keeps ticking the other jobs, and the failing one, when a job fails or dies', () =>
    run(
      Effect.gen(function* () {
        const ticker = yield* makeShardTicker(200, concurrent);
        let failed = 0;
        let died = 0;
        let healthy = 0;
        yield* ticker.every('failing', Effect.suspend(() => (failed++, Effect.fail('snapshot store down'))));
        yield* ticker.every('dying', Effect.suspend(() => (died++, Effect.die(new Error('a bug')))));
        yield* ticker.every('healthy', Effect.sync(() => void healthy++));
        yield* TestClock.adjust('1 second');
        expect(healthy).toBeGreaterThanOrEqual(5);
        expect(failed).toBe(healthy);
        expect(died).toBe(healthy);
      }),
    ));
});
