// The runner's observability settings, read from the environment once at start-up: where to serve
// `/metrics` (off unless LARDER_METRICS_PORT is set) and how often the invariant auditor samples SKUs.
import { Config, Option } from 'effect';

export interface ObservabilityConfig {
  /** None: no metrics endpoint. 0: any free port (logged). */
  readonly metricsPort: Option.Option<number>;
  readonly metricsHost: string;
  /** 0: the auditor is off. */
  readonly auditEveryMs: number;
  /** SKUs audited per round (all of them when a shard has fewer). */
  readonly auditSample: number;
  /** How often `larder_dlq_depth` is refreshed. */
  readonly dlqPollMs: number;
}

const nonNegative = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.withDefault(fallback),
    Config.validate({ message: `${name} must be 0 or more`, validation: (n) => n >= 0 }),
  );

export const ObservabilityConfig: Config.Config<ObservabilityConfig> = Config.all({
  metricsPort: Config.option(
    Config.integer('LARDER_METRICS_PORT').pipe(
      Config.validate({ message: 'LARDER_METRICS_PORT must be a TCP port (0: any free one)', validation: (n) => n >= 0 && n <= 65_535 }),
    ),
  ),
  metricsHost: Config.string('LARDER_METRICS_HOST').pipe(Config.withDefault('127.0.0.1')),
  auditEveryMs: nonNegative('LARDER_AUDIT_EVERY_MS', 60_000),
  auditSample: nonNegative('LARDER_AUDIT_SAMPLE', 20),
  dlqPollMs: nonNegative('LARDER_DLQ_POLL_MS', 10_000).pipe(
    Config.validate({ message: 'LARDER_DLQ_POLL_MS must be at least 100', validation: (n) => n >= 100 }),
  ),
});
