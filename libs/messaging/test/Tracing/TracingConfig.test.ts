// When a Larder process traces, decided from the standard OpenTelemetry variables: off unless an OTLP endpoint
// is set; OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none turn it off; values Larder cannot honour
// (another protocol, an unknown sampler, a ratio outside 0–1) stop the start with the variable's name.
import { TracingConfig } from '../../src/index.js';
import { ConfigProvider, Effect, Either, Option } from 'effect';
import { describe, expect, it } from 'vitest';

const read = (env: Record<string, string>) =>
  Effect.runSync(Effect.either(TracingConfig('larder-api').pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))));
const settings = (env: Record<string, string>) => {
  const result = read(env);
  if (Either.isLeft(result)) throw new Error(`refused: ${String(result.left)}`);
  return Option.getOrUndefined(result.right);
};
const refusal = (env: Record<string, string>) => {
  const result = read(env);
  return Either.isLeft(result) ? String(result.left) : 'accepted';
};

describe('TracingConfig', () => {
  it('is off when no endpoint is set, whatever else is', () => {
    expect(settings({})).toBeUndefined();
    expect(settings({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' })).toBeUndefined();
  });

  it('is on with OTEL_EXPORTER_OTLP_ENDPOINT: spans go to <endpoint>/v1/traces, parent-based always-on', () => {
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'larder-api',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
  });

  it('takes the traces endpoint as given, before the base endpoint', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom/traces' };
    expect(settings(env)?.tracesUrl).toBe('http://b:4318/custom/traces');
  });

  it('reads the service name and the sampler', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SERVICE_NAME: 'api-eu', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.05' };
    expect(settings(env)).toMatchObject({ serviceName: 'api-eu', sampler: 'parentbased_traceidratio', samplerRatio: 0.05 });
  });

  it('is off when the SDK is disabled or the exporter is none, even with an endpoint', () => {
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('accepts http/json and refuses another protocol, naming the variable', () => {
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBeDefined();
    expect(refusal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toContain('OTEL_EXPORTER_OTLP_PROTOCOL');
    expect(refusal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' })).toContain('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
  });

  it('refuses an unknown sampler, a ratio outside 0–1 and an unknown exporter', () => {
    expect(refusal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_SAMPLER: 'sometimes' })).toContain('OTEL_TRACES_SAMPLER');
    expect(refusal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toContain('OTEL_TRACES_SAMPLER_ARG');
    expect(refusal({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_EXPORTER: 'zipkin' })).toContain('OTEL_TRACES_EXPORTER');
  });
});
