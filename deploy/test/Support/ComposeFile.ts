// An Effect Schema of the parts of deploy/compose.yaml that Larder relies on, and its decoder: every
// service has a pinned image (or the repo's build), loopback-only ports, a healthcheck, and mounts of
// declared volumes or existing files.
import { Either, ParseResult, Schema } from 'effect';
import { parse } from 'yaml';
import { readRepoFile } from './RepoFiles.js';

/** `name:<version>[-variant]` with at least a major (nats:2.12-alpine, prom/prometheus:v3.5.0); not `latest`. */
export const PinnedImage = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9][a-z0-9./_-]*:v?\d+(\.\d+)*(-[a-z0-9.]+)?$/, { message: () => 'image must be pinned to a version' }),
);

/** `127.0.0.1:<host>:<container>`: nothing is published beyond the loopback interface. */
export const LoopbackPort = Schema.String.pipe(
  Schema.pattern(/^127\.0\.0\.1:\d{1,5}:\d{1,5}$/, { message: () => 'ports must be published as 127.0.0.1:<host>:<container>' }),
);

export const Duration = Schema.String.pipe(Schema.pattern(/^\d+(ms|s|m)$/));

export const Healthcheck = Schema.Struct({
  test: Schema.Tuple([Schema.Literal('CMD', 'CMD-SHELL')], Schema.String),
  interval: Duration,
  timeout: Duration,
  retries: Schema.Int.pipe(Schema.positive()),
  start_period: Schema.optional(Duration),
});

export const DependsOn = Schema.Record({
  key: Schema.String,
  value: Schema.Struct({ condition: Schema.Literal('service_healthy', 'service_started', 'service_completed_successfully') }),
});

/** `source:target[:ro]`: a named volume or a `./` path relative to deploy/. */
export const Mount = Schema.String.pipe(Schema.pattern(/^[^:]+:\/[^:]*(:ro)?$/));

/** Environment as a map; values stay strings (compose interpolates `${VAR:-default}`). */
export const Environment = Schema.Record({ key: Schema.String.pipe(Schema.pattern(/^[A-Z][A-Z0-9_]*$/)), value: Schema.String });

const serviceFields = {
  command: Schema.optional(Schema.Array(Schema.String)),
  environment: Schema.optional(Environment),
  volumes: Schema.optional(Schema.Array(Mount)),
  ports: Schema.optional(Schema.Array(LoopbackPort)),
  healthcheck: Healthcheck,
  depends_on: Schema.optional(DependsOn),
  profiles: Schema.optional(Schema.Tuple(Schema.Literal('full'))),
  restart: Schema.Literal('unless-stopped'),
  stop_grace_period: Schema.optional(Duration),
  init: Schema.optional(Schema.Boolean),
};

/** A backing service: an upstream image pinned to a version. */
export const ImageService = Schema.Struct({ image: PinnedImage, ...serviceFields });

/** A Larder process: the image built from the repo root's Dockerfile. */
export const BuiltService = Schema.Struct({
  image: Schema.Literal('larder:local'),
  build: Schema.Struct({ context: Schema.Literal('..'), dockerfile: Schema.Literal('Dockerfile') }),
  ...serviceFields,
});

export const Service = Schema.Union(BuiltService, ImageService);
export type Service = typeof Service.Type;

export const ComposeFile = Schema.Struct({
  name: Schema.Literal('larder'),
  services: Schema.Record({ key: Schema.String, value: Service }),
  volumes: Schema.Record({ key: Schema.String, value: Schema.Null }),
});
export type ComposeFile = typeof ComposeFile.Type;

/** Parses YAML with compose's merge keys (`<<: *anchor`) resolved, as compose does. */
export const parseComposeYaml = (text: string): unknown => parse(text, { merge: true });

export const decodeCompose = (text: string): ComposeFile => {
  const decoded = Schema.decodeUnknownEither(ComposeFile)(parseComposeYaml(text));
  if (Either.isLeft(decoded)) throw new Error(ParseResult.TreeFormatter.formatErrorSync(decoded.left));
  return decoded.right;
};

export const readCompose = () => decodeCompose(readRepoFile('deploy/compose.yaml'));

/** `8s` / `30s` / `2m` → seconds. */
export const durationSeconds = (d: string): number => {
  const m = /^(\d+)(ms|s|m)$/.exec(d);
  if (m === null || m[1] === undefined) throw new Error(`not a duration: ${d}`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
};
