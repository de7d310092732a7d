// The NATS settings every Larder process reads from its environment: where the server is, the
// namespace of the deployment and its shard count (both must match across every process), and how it
// proves who it is (user/password, token, creds or nkey file) and talks TLS (CA, client cert and key).
import { Config, ConfigError, Either, Option, Redacted, Schema } from 'effect';
import { DefaultShards, Shards } from '../Sharding/Shard.js';
import { DefaultNamespace, Namespace } from './Namespace.js';

/** A variable decoded with a schema (read as a number when `numeric`), with a default. */
const decoded = <A, I>(name: string, schema: Schema.Schema<A, I>, fallback: A, numeric: boolean) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) =>
      Either.mapLeft(Schema.decodeUnknownEither(schema)(numeric ? Number(raw) : raw), (e) => ConfigError.InvalidData([name], e.message)),
    ),
    Config.withDefault(fallback),
  );

export const NatsConfig = Config.all({
  natsUrl: Config.string('NATS_URL').pipe(Config.withDefault('nats://127.0.0.1:4222')),
  namespace: decoded('LARDER_NAMESPACE', Namespace, DefaultNamespace, false),
  shards: decoded('LARDER_SHARDS', Shards, DefaultShards, true),
});

/** How a process proves who it is to NATS: one way at most (none on a server without authorization). */
export type NatsAuth =
  | { readonly _tag: 'Anonymous' }
  | { readonly _tag: 'UserPassword'; readonly user: string; readonly password: Redacted.Redacted }
  | { readonly _tag: 'Token'; readonly token: Redacted.Redacted }
  /** A `.creds` file (JWT + nkey seed), read again at every (re)connect. */
  | { readonly _tag: 'CredsFile'; readonly path: string }
  /** A file holding an nkey seed (`SU…`), read again at every (re)connect. */
  | { readonly _tag: 'NKeySeedFile'; readonly path: string };

/** PEM files, read again at every (re)connect. Any of them set means TLS is required of the server. */
export interface NatsTls {
  readonly caFile: string | undefined;
  /** The client certificate and its key, both or neither (the server asks for one with `verify: true`). */
  readonly clientCert: { readonly certFile: string; readonly keyFile: string } | undefined;
}

export interface NatsSecurity {
  readonly auth: NatsAuth;
  /** Undefined: plain TCP. */
  readonly tls: NatsTls | undefined;
}

/** An unset or empty variable is none (so `NATS_USER=` in a compose file means "no user"). */
const optional = (name: string) => Config.option(Config.string(name)).pipe(Config.map(Option.filter((value) => value.length > 0)));

const authOf = (vars: {
  readonly user: Option.Option<string>;
  readonly password: Option.Option<string>;
  readonly token: Option.Option<string>;
  readonly creds: Option.Option<string>;
  readonly nkey: Option.Option<string>;
}): Either.Either<NatsAuth, ConfigError.ConfigError> => {
  const { user, password, token, creds, nkey } = vars;
  const ways = [user, token, creds, nkey].filter(Option.isSome).length;
  if (ways > 1) {
    return Either.left(
      ConfigError.InvalidData(['NATS_USER'], 'set only one of NATS_USER (with NATS_PASSWORD), NATS_TOKEN, NATS_CREDS and NATS_NKEY'),
    );
  }
  if (Option.isSome(user)) {
    return Option.match(password, {
      onNone: () => Either.left(ConfigError.MissingData(['NATS_PASSWORD'], 'NATS_USER is set: set its NATS_PASSWORD too')),
      onSome: (p) => Either.right({ _tag: 'UserPassword', user: user.value, password: Redacted.make(p) }),
    });
  }
  if (Option.isSome(password)) return Either.left(ConfigError.MissingData(['NATS_USER'], 'NATS_PASSWORD is set: set NATS_USER too'));
  if (Option.isSome(token)) return Either.right({ _tag: 'Token', token: Redacted.make(token.value) });
  if (Option.isSome(creds)) return Either.right({ _tag: 'CredsFile', path: creds.value });
  if (Option.isSome(nkey)) return Either.right({ _tag: 'NKeySeedFile', path: nkey.value });
  return Either.right({ _tag: 'Anonymous' });
};

const tlsOf = (files: {
  readonly ca: Option.Option<string>;
  readonly cert: Option.Option<string>;
  readonly key: Option.Option<string>;
}): Either.Either<NatsTls | undefined, ConfigError.ConfigError> => {
  const { ca, cert, key } = files;
  if (Option.isSome(cert) !== Option.isSome(key)) {
    return Either.left(
      ConfigError.MissingData([Option.isSome(cert) ? 'NATS_TLS_KEY' : 'NATS_TLS_CERT'], 'a client certificate needs both NATS_TLS_CERT and NATS_TLS_KEY'),
    );
  }
  if (Option.isNone(ca) && Option.isNone(cert)) return Either.right(undefined);
  const clientCert = Option.isSome(cert) && Option.isSome(key) ? { certFile: cert.value, keyFile: key.value } : undefined;
  return Either.right({ caFile: Option.getOrUndefined(ca), clientCert });
};

/** NATS_USER + NATS_PASSWORD | NATS_TOKEN | NATS_CREDS | NATS_NKEY (files), and NATS_TLS_CA, NATS_TLS_CERT, NATS_TLS_KEY. */
export const NatsSecurityConfig: Config.Config<NatsSecurity> = Config.all({
  auth: Config.all({
    user: optional('NATS_USER'),
    password: optional('NATS_PASSWORD'),
    token: optional('NATS_TOKEN'),
    creds: optional('NATS_CREDS'),
    nkey: optional('NATS_NKEY'),
  }).pipe(Config.mapOrFail(authOf)),
  tls: Config.all({ ca: optional('NATS_TLS_CA'), cert: optional('NATS_TLS_CERT'), key: optional('NATS_TLS_KEY') }).pipe(Config.mapOrFail(tlsOf)),
});
