// Everything an API instance reads from its environment, decoded once at start-up (effect Config);
// a bad value stops the process with a message naming the variable.
import { readFileSync } from 'node:fs';
import { NatsConfig, type Namespace, type Shards } from '@larder/messaging';
import { DatabaseConfig } from '@larder/persistence';
import { Config, ConfigError, Either, Option, Redacted, Schema } from 'effect';
import { defaultAdmissionPolicy, type AdmissionPolicy } from '../Http/Admission.js';
import { ApiKeyEntries, type ApiKeyEntry } from '../Auth/ApiKeys.js';
import type { JwtSettings } from '../Auth/Jwt.js';
import { WebhookConfig, type WebhookSettings } from '../Webhooks/WebhookSettings.js';

export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly databaseSchema: string;
  readonly namespace: Namespace;
  readonly shards: Shards;
  /** How long a request waits for a shard owner before answering 503. */
  readonly actorDeadlineMs: number;
  /** A reservation of several SKUs still being placed after this long is released (its instance died). */
  readonly abandonHoldsAfterMs: number;
  /** How often each instance looks for such reservations. */
  readonly abandonSweepEveryMs: number;
  readonly bodyLimitBytes: number;
  /** The largest CSV an import takes (bytes); past it, 413. */
  readonly importLimitBytes: number;
  readonly admission: AdmissionPolicy;
  readonly apiKeys: ReadonlyArray<ApiKeyEntry>;
  readonly jwt: JwtSettings | undefined;
  readonly webhooks: WebhookSettings;
  readonly stream: StreamSettings;
  readonly console: ConsoleSettings;
  readonly signals: SignalSettings;
}

/** The live stock stream (GET /v1/stock/events, Stock/StockFeed.ts). */
export interface StreamSettings {
  /** A client whose unsent bytes pass this is disconnected (it reconnects with Last-Event-ID and misses nothing). */
  readonly maxBufferBytes: number;
  /** Changes kept to resume a reconnecting client from; older positions get a fresh snapshot instead. */
  readonly replayChanges: number;
  /** A comment line this often keeps idle connections open through proxies. */
  readonly keepAliveMs: number;
}

/** The operator console (Console/*, ADR 0018). */
export interface ConsoleSettings {
  /** Signs session cookies; random per process when unset (then a session only works on the instance that issued it). */
  readonly sessionSecret: string | undefined;
  readonly sessionTtlMs: number;
  /** Adds `Secure` to the session cookie (set behind HTTPS). */
  readonly secureCookie: boolean;
}

/** Demand signals from poll and survey tools (POST /v1/signals/polls, docs/demand-signals.md). */
export interface SignalSettings {
  /** The key of the HMAC-SHA256 a poll tool signs each body with; unset (or empty): the route answers 503 `signals-not-configured`. */
  readonly pollSigningSecret: Redacted.Redacted<string> | undefined;
  /** The largest body POST /v1/signals/polls takes (bytes; a batch of 5,000 answers); past it, 413. */
  readonly pollBodyLimitBytes: number;
}

const decodeWith = <A, I>(name: string, schema: Schema.Schema<A, I>, numeric = false) => (raw: string) =>
  Either.mapLeft(Schema.decodeUnknownEither(schema)(numeric ? Number(raw) : raw), (e) => ConfigError.InvalidData([name], e.message));

const apiKeys = Config.all({
  inline: Config.option(Config.string('LARDER_API_KEYS')),
  file: Config.option(Config.string('LARDER_API_KEYS_FILE')),
}).pipe(
  Config.mapOrFail(({ inline, file }) => {
    const text = Option.isSome(inline) ? inline.value : Option.isSome(file) ? readFileSync(file.value, 'utf8') : '[]';
    return decodeWith('LARDER_API_KEYS', Schema.parseJson(ApiKeyEntries))(text);
  }),
);

const jwt = Config.all({
  secret: Config.option(Config.redacted('LARDER_JWT_SECRET')),
  jwksUrl: Config.option(Config.string('LARDER_JWKS_URL')),
  issuer: Config.string('LARDER_JWT_ISSUER').pipe(Config.withDefault('')),
  audience: Config.string('LARDER_JWT_AUDIENCE').pipe(Config.withDefault('larder-api')),
}).pipe(
  Config.mapOrFail(({ secret, jwksUrl, issuer, audience }): Either.Either<JwtSettings | undefined, ConfigError.ConfigError> => {
    if (Option.isNone(secret) && Option.isNone(jwksUrl)) return Either.right(undefined);
    if (issuer === '') return Either.left(ConfigError.MissingData(['LARDER_JWT_ISSUER'], 'JWTs are configured: set the issuer to check'));
    if (Option.isSome(jwksUrl)) return Either.right({ kind: 'jwks', url: jwksUrl.value, issuer, audience });
    return Either.right({ kind: 'secret', secret: Redacted.value(Option.getOrThrow(secret)), issuer, audience });
  }),
);

export const ApiConfig: Config.Config<ApiConfig> = Config.all({
  host: Config.string('HOST').pipe(Config.withDefault('127.0.0.1')),
  port: Config.port('PORT').pipe(Config.withDefault(3000)),
  nats: NatsConfig,
  database: DatabaseConfig,
  actorDeadlineMs: Config.integer('LARDER_ACTOR_DEADLINE_MS').pipe(Config.withDefault(2_000)),
  abandonHoldsAfterMs: Config.integer('LARDER_ABANDON_HOLDS_AFTER_MS').pipe(Config.withDefault(30_000)),
  abandonSweepEveryMs: Config.integer('LARDER_ABANDON_SWEEP_EVERY_MS').pipe(Config.withDefault(10_000)),
  bodyLimitBytes: Config.integer('LARDER_BODY_LIMIT_BYTES').pipe(Config.withDefault(64 * 1024)),
  importLimitBytes: Config.integer('LARDER_IMPORT_LIMIT_BYTES').pipe(
    Config.withDefault(20 * 1024 * 1024),
    Config.validate({ message: 'bytes, at least 1', validation: (x) => x >= 1 }),
  ),
  admission: Config.all({
    maxEventLoopUtilization: Config.number('LARDER_SHED_EVENT_LOOP_UTILIZATION').pipe(
      Config.withDefault(defaultAdmissionPolicy.maxEventLoopUtilization),
      Config.validate({ message: 'a share of time between 0 (never shed on it) and 1', validation: (x) => x >= 0 && x <= 1 }),
    ),
    maxEventLoopDelayMs: Config.integer('LARDER_SHED_EVENT_LOOP_DELAY_MS').pipe(
      Config.withDefault(defaultAdmissionPolicy.maxEventLoopDelayMs),
      Config.validate({ message: 'milliseconds, 0 or more (0: never shed on it)', validation: (x) => x >= 0 }),
    ),
    sampleMs: Config.integer('LARDER_SHED_SAMPLE_MS').pipe(
      Config.withDefault(defaultAdmissionPolicy.sampleMs),
      Config.validate({ message: 'milliseconds, at least 10', validation: (x) => x >= 10 }),
    ),
  }),
  apiKeys,
  jwt,
  webhooks: WebhookConfig,
  stream: Config.all({
    maxBufferBytes: Config.integer('LARDER_STREAM_MAX_BUFFER_BYTES').pipe(
      Config.withDefault(1024 * 1024),
      Config.validate({ message: 'bytes, at least 4096', validation: (x) => x >= 4096 }),
    ),
    replayChanges: Config.integer('LARDER_STREAM_REPLAY_CHANGES').pipe(
      Config.withDefault(10_000),
      Config.validate({ message: 'a count, at least 1', validation: (x) => x >= 1 }),
    ),
    keepAliveMs: Config.integer('LARDER_STREAM_KEEPALIVE_MS').pipe(
      Config.withDefault(15_000),
      Config.validate({ message: 'milliseconds, at least 100', validation: (x) => x >= 100 }),
    ),
  }),
  console: Config.all({
    sessionSecret: Config.option(Config.redacted('LARDER_CONSOLE_SECRET')).pipe(
      Config.map((secret) => (Option.isSome(secret) ? Redacted.value(secret.value) : undefined)),
      Config.validate({ message: 'at least 32 characters', validation: (x) => x === undefined || x.length >= 32 }),
    ),
    sessionTtlMs: Config.integer('LARDER_CONSOLE_SESSION_TTL_MS').pipe(
      Config.withDefault(8 * 3_600_000),
      Config.validate({ message: 'milliseconds, at least 60000', validation: (x) => x >= 60_000 }),
    ),
    secureCookie: Config.boolean('LARDER_CONSOLE_SECURE_COOKIE').pipe(Config.withDefault(false)),
  }),
  signals: Config.all({
    pollSigningSecret: Config.option(Config.redacted('LARDER_POLL_SIGNING_SECRET')).pipe(
      // Empty is unset, as `LARDER_POLL_SIGNING_SECRET=` in an env file reads.
      Config.map((secret) => (Option.isSome(secret) && Redacted.value(secret.value) !== '' ? secret.value : undefined)),
      Config.validate({ message: 'at least 16 characters (empty: poll signals off)', validation: (x) => x === undefined || Redacted.value(x).length >= 16 }),
    ),
    pollBodyLimitBytes: Config.integer('LARDER_POLL_BODY_LIMIT_BYTES').pipe(
      Config.withDefault(4 * 1024 * 1024),
      Config.validate({ message: 'bytes, at least 1024', validation: (x) => x >= 1024 }),
    ),
  }),
}).pipe(Config.map(({ nats, database, ...rest }) => ({ ...rest, ...nats, ...database })));
