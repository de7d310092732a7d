// The runner's scrape endpoint over real HTTP on a free port: /metrics in the exposition format,
// /healthz, 404 and 405 for anything else, and nothing listening once its scope is closed.
import { describe, expect, it } from '@effect/vitest';
import { Effect, Exit, Scope } from 'effect';
import { serveMetrics } from '../../src/Observability/MetricsServer.js';
import { makeRunnerMetrics } from '../../src/Observability/RunnerMetrics.js';

describe('given a metrics server on a free port', () => {
  it.live('serves the registry, a health check, and refuses the rest; closing its scope stops it', () =>
    Effect.gen(function* () {
      const metrics = makeRunnerMetrics({ collectDefaults: true });
      metrics.dlqDepth.set(4);
      const scope = yield* Scope.make();
      const { url, port } = yield* serveMetrics(metrics.registry, '127.0.0.1', 0).pipe(Scope.extend(scope));
      expect(port).toBeGreaterThan(0);
      const get = (path: string, init?: RequestInit) => Effect.promise(() => fetch(`${url}${path}`, init));

      const scrape = yield* get('/metrics');
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toContain('text/plain');
      const text = yield* Effect.promise(() => scrape.text());
      expect(text).toMatch(/^larder_dlq_depth 4$/m);
      expect(text).toMatch(/^larder_commands_total\{path="request",outcome="accepted"\} 0$/m);
      expect(text).toMatch(/^larder_runner_process_resident_memory_bytes \d+/m);

      const health = yield* get('/healthz');
      expect(health.status).toBe(200);
      expect(yield* Effect.promise(() => health.json())).toEqual({ status: 'ok' });
      expect((yield* get('/nope')).status).toBe(404);
      expect((yield* get('/metrics', { method: 'POST' })).status).toBe(405);

      yield* Scope.close(scope, Exit.void);
      const after = yield* Effect.either(Effect.tryPromise(() => fetch(`${url}/healthz`)));
      expect(after._tag).toBe('Left');
    }),
  );

  it.live('fails with the address when the port is taken', () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { port } = yield* serveMetrics(makeRunnerMetrics().registry, '127.0.0.1', 0);
        const second = yield* Effect.either(serveMetrics(makeRunnerMetrics().registry, '127.0.0.1', port));
        expect(second._tag === 'Left' && second.left.detail).toContain(`127.0.0.1:${port}`);
      }),
    ),
  );
});
