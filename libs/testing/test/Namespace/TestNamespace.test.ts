// TestNamespace names are unique per call and safe in NATS subjects, stream and bucket names, Postgres and Redis.
import { describe, expect, it, layer } from '@effect/vitest';
import { Effect } from 'effect';
import { makeTestNamespace, TestNamespace } from '../../src/Namespace/TestNamespace.js';

describe('makeTestNamespace', () => {
  it('uses only lowercase letters, digits and underscores', () => {
    const ns = makeTestNamespace();
    expect(ns.nats).toMatch(/^t_[a-z0-9_]+$/);
    // Also a valid @larder/messaging Namespace (1–32 chars, starting with a letter).
    expect(ns.nats).toMatch(/^[a-z][a-z0-9_]{0,31}$/);
    expect(ns.postgresSchema).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
    expect(ns.redisPrefix).toBe(`${ns.nats}:`);
  });

  it('differs on every call', () => {
    const names = new Set(Array.from({ length: 1_000 }, () => makeTestNamespace().nats));
    expect(names.size).toBe(1_000);
  });
});

layer(TestNamespace.layer)('TestNamespace.layer', (it) => {
  it.effect('provides one namespace to the block', () =>
    Effect.gen(function* () {
      const ns = yield* TestNamespace;
      expect(ns.postgresSchema).toBe(ns.nats);
    }),
  );
});
