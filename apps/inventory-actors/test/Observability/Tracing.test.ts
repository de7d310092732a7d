// The runner's tracing switch: off (no tracer, nothing registered) unless an OTLP endpoint is set;
// on, it names itself larder-runner unless OTEL_SERVICE_NAME says otherwise. (The variables' full
// rules are the API's, tested in apps/api/test/Observability/TracingConfig.test.ts.)
import { startTracing, TracingConfig } from '@larder/messaging';
import { trace } from '@opentelemetry/api';
import { ConfigProvider, Effect, Either, Exit, Option, Scope } from 'effect';
import { describe, expect, it } from 'vitest';

const provider = (env: Record<string, string>) => ConfigProvider.fromMap(new Map(Object.entries(env)));
const settings = (env: Record<string, string>) =>
  Effect.runSync(Effect.either(TracingConfig('larder-runner').pipe(Effect.withConfigProvider(provider(env)))));

describe('runner tracing', () => {
  it('is off without an endpoint: no tracer, and the OTel API stays a no-op', async () => {
    const scope = Effect.runSync(Scope.make());
    const tracer = await Effect.runPromise(startTracing('larder-runner', { instanceId: 'runner-test', warn: () => undefined }).pipe(Scope.extend(scope), Effect.withConfigProvider(provider({}))));
    expect(tracer).toBeUndefined();
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    await Effect.runPromise(Scope.close(scope, Exit.void));
  });

  it('is on with an endpoint, as larder-runner unless OTEL_SERVICE_NAME is set', () => {
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual(
      Either.right(Option.some({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'larder-runner', sampler: 'parentbased_always_on', samplerRatio: 1 })),
    );
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'runner-eu' })).toMatchObject(
      Either.right(Option.some({ serviceName: 'runner-eu' })),
    );
  });
});
