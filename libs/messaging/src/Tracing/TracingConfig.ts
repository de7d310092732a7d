// Whether this process traces, read once at start-up from the standard OpenTelemetry variables:
// off unless an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or …_TRACES_ENDPOINT), and off when
// OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. A value Larder cannot honour stops the start.
import { Config, ConfigError, Either, Option } from 'effect';

export const SamplerNames = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type SamplerName = (typeof SamplerNames)[number];

export interface TracingSettings {
  /** Where spans are POSTed (OTLP/HTTP, JSON): the traces endpoint as given, or `<endpoint>/v1/traces`. */
  readonly tracesUrl: string;
  readonly serviceName: string;
  readonly sampler: SamplerName;
  /** The ratio of the `*traceidratio` samplers, 0–1. */
  readonly samplerRatio: number;
}

/** The one protocol this build exports with; collectors (OTel Collector, Jaeger, Tempo) accept it on 4318. */
const Protocol = 'http/json';

const tracesUrlOf = (traces: Option.Option<string>, base: Option.Option<string>): Option.Option<string> =>
  Option.orElse(traces, () => Option.map(base, (url) => `${url.replace(/\/+$/, '')}/v1/traces`));

/** None: tracing is off (no provider, no spans, nothing on the wire). */
export const TracingConfig = (defaultServiceName: string): Config.Config<Option.Option<TracingSettings>> =>
  Config.all({
    disabled: Config.boolean('OTEL_SDK_DISABLED').pipe(Config.withDefault(false)),
    exporter: Config.literal('otlp', 'none')('OTEL_TRACES_EXPORTER').pipe(Config.withDefault('otlp')),
    tracesEndpoint: Config.option(Config.nonEmptyString('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')),
    endpoint: Config.option(Config.nonEmptyString('OTEL_EXPORTER_OTLP_ENDPOINT')),
    tracesProtocol: Config.option(Config.string('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')),
    protocol: Config.option(Config.string('OTEL_EXPORTER_OTLP_PROTOCOL')),
    serviceName: Config.nonEmptyString('OTEL_SERVICE_NAME').pipe(Config.withDefault(defaultServiceName)),
    sampler: Config.literal(...SamplerNames)('OTEL_TRACES_SAMPLER').pipe(Config.withDefault('parentbased_always_on')),
    samplerRatio: Config.number('OTEL_TRACES_SAMPLER_ARG').pipe(
      Config.withDefault(1),
      Config.validate({ message: 'OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1', validation: (n) => n >= 0 && n <= 1 }),
    ),
  }).pipe(
    Config.mapOrFail((c): Either.Either<Option.Option<TracingSettings>, ConfigError.ConfigError> => {
      const tracesUrl = tracesUrlOf(c.tracesEndpoint, c.endpoint);
      if (c.disabled || c.exporter === 'none' || Option.isNone(tracesUrl)) return Either.right(Option.none());
      const [name, protocol] = Option.isSome(c.tracesProtocol)
        ? ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', c.tracesProtocol.value]
        : ['OTEL_EXPORTER_OTLP_PROTOCOL', Option.getOrElse(c.protocol, () => Protocol)];
      if (protocol !== Protocol) {
        return Either.left(ConfigError.InvalidData([name], `Larder exports traces as OTLP/HTTP JSON only: set ${name}=${Protocol} or leave it unset (got "${protocol}")`));
      }
      return Either.right(Option.some({ tracesUrl: tracesUrl.value, serviceName: c.serviceName, sampler: c.sampler, samplerRatio: c.samplerRatio }));
    }),
  );
