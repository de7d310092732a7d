// A Larder process's OpenTelemetry SDK (API and runner alike), started only when TracingConfig says so:
// a Node tracer provider (AsyncLocalStorage context, so a request's span parents what it sends), batched
// OTLP/HTTP export, the configured sampler. Closing the scope flushes what is left and unregisters it.
import { context, diag, DiagLogLevel, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { Effect, Option } from 'effect';
import { TracingConfig, type SamplerName, type TracingSettings } from './TracingConfig.js';

const samplerOf = (name: SamplerName, ratio: number): Sampler => {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default: {
      const never: never = name;
      return never;
    }
  }
};

export interface TracingContext {
  /** `service.instance.id`: the process id that also names its NATS inbox. */
  readonly instanceId: string;
  /** Export failures and SDK warnings (one line each). */
  readonly warn: (message: string) => void;
}

const startProvider = (settings: TracingSettings, { instanceId, warn }: TracingContext) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const resource = defaultResource()
        .merge(detectResources({ detectors: [envDetector] }))
        .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_INSTANCE_ID]: instanceId }));
      // OTEL_BSP_* (delay, batch and queue size) and OTEL_EXPORTER_OTLP_HEADERS/_TIMEOUT are read by the SDK itself.
      const provider = new NodeTracerProvider({
        resource,
        sampler: samplerOf(settings.sampler, settings.samplerRatio),
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }))],
      });
      diag.setLogger({ error: warn, warn, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
      provider.register();
      return provider;
    }),
    (provider) =>
      Effect.promise(() => provider.shutdown()).pipe(
        Effect.timeout('5 seconds'),
        Effect.ignore,
        Effect.zipRight(
          Effect.sync(() => {
            trace.disable();
            context.disable();
            propagation.disable();
            diag.disable();
          }),
        ),
      ),
  );

/** The tracer of this process (`larder-api`, `larder-runner`), or undefined when tracing is off (then nothing is registered). */
export const startTracing = (serviceName: string, tracingContext: TracingContext) =>
  Effect.gen(function* () {
    const settings = yield* TracingConfig(serviceName);
    if (Option.isNone(settings)) return undefined;
    const provider = yield* startProvider(settings.value, tracingContext);
    const tracer: Tracer = provider.getTracer(serviceName);
    return tracer;
  });
