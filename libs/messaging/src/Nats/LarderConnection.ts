// The one way a Larder process connects to NATS (runner, API, tools): its name and its single
// wildcard inbox, a short ping so a stalled server is noticed in ~10 s, not minutes (DESIGN.md §4),
// endless reconnects, credentials and TLS from NATS_* (NatsSecurityConfig), and a drain when the scope closes.
import { readFileSync } from 'node:fs';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  connect,
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
  type NodeConnectionOptions,
  type TlsOptions,
} from '@nats-io/transport-node';
import { Effect, Redacted } from 'effect';
import { NatsSecurityConfig, type NatsAuth, type NatsSecurity, type NatsTls } from '../Names/NatsConfig.js';
import type { Names } from '../Names/Names.js';
import type { ProcessId } from '../Names/ProcessId.js';

export const PingIntervalMs = 5_000;
export const MaxPingsOutstanding = 2;

const authenticatorOf = (auth: NatsAuth): Authenticator | undefined => {
  switch (auth._tag) {
    case 'Anonymous':
      return undefined;
    case 'UserPassword':
      return usernamePasswordAuthenticator(auth.user, () => Redacted.value(auth.password));
    case 'Token':
      return tokenAuthenticator(() => Redacted.value(auth.token));
    // Files are read at every (re)connect: replacing one on disk rotates it without a restart.
    case 'CredsFile':
      return credsAuthenticator(() => readFileSync(auth.path));
    case 'NKeySeedFile':
      return nkeyAuthenticator(() => new TextEncoder().encode(readFileSync(auth.path, 'utf8').trim()));
    default:
      return auth satisfies never;
  }
};

const tlsOptionsOf = (tls: NatsTls): TlsOptions => ({
  ...(tls.caFile === undefined ? {} : { caFile: tls.caFile }),
  ...(tls.clientCert === undefined ? {} : { certFile: tls.clientCert.certFile, keyFile: tls.clientCert.keyFile }),
});

/**
 * The credential and TLS options of a NATS client (for tools that connect with `connect` themselves).
 * With TLS set the client refuses a server that does not offer it ("server does not support 'tls'").
 */
export const natsSecurityOptions = (security: NatsSecurity): Pick<NodeConnectionOptions, 'authenticator' | 'tls'> => {
  const authenticator = authenticatorOf(security.auth);
  return {
    ...(authenticator === undefined ? {} : { authenticator }),
    ...(security.tls === undefined ? {} : { tls: tlsOptionsOf(security.tls) }),
  };
};

/** For error messages and logs: who this process connects as, never a secret. */
export const describeNatsSecurity = (security: NatsSecurity): string => {
  const { auth, tls } = security;
  const who =
    auth._tag === 'UserPassword'
      ? `user ${auth.user} (NATS_USER)`
      : auth._tag === 'Token'
        ? 'a token (NATS_TOKEN)'
        : auth._tag === 'CredsFile'
          ? `creds ${auth.path} (NATS_CREDS)`
          : auth._tag === 'NKeySeedFile'
            ? `nkey ${auth.path} (NATS_NKEY)`
            : 'no credentials';
  return `${who}, ${tls === undefined ? 'plain TCP' : `TLS${tls.clientCert === undefined ? '' : ' with a client certificate'}`}`;
};

/** Connects in the current scope; the connection drains when the scope closes. */
export const acquireLarderConnection = (url: string, names: Names, processId: ProcessId) =>
  Effect.gen(function* () {
    const security = yield* NatsSecurityConfig;
    const nc = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          connect({
            // A cluster: several seed URLs, comma-separated (the servers also gossip the rest).
            servers: url.split(',').map((s) => s.trim()),
            name: processId,
            inboxPrefix: names.inbox.prefix(processId),
            pingInterval: PingIntervalMs,
            maxPingOut: MaxPingsOutstanding,
            maxReconnectAttempts: -1,
            ...natsSecurityOptions(security),
          }),
        catch: (error) => new Error(`NATS at ${url} (NATS_URL) refused or could not be reached as ${describeNatsSecurity(security)}: ${String(error)}`),
      }),
      (nc) => Effect.promise(() => nc.drain()).pipe(Effect.ignore),
    );
    const jsm = yield* Effect.tryPromise(() => jetstreamManager(nc));
    return { nc, jsm, js: jetstream(nc) };
  });
