// A private nats-server running the committed deploy/nats/secure config (users and permissions as in
// production), passwords generated per run (the operator's as a bcrypt hash), and clients as each user.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startNatsServer, type RunningNatsServer } from '@larder/testing';
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { vi } from 'vitest';

export const NatsUsers = ['api', 'runner', 'analyst', 'operator'] as const;
export type NatsUser = (typeof NatsUsers)[number];

/** The server's variable holding a user's password (deploy/nats/secure/users.conf). */
export const passwordVariable = (user: NatsUser) => `LARDER_NATS_${user.toUpperCase()}_PASSWORD`;

export const secureConfigFile = (name: 'nats-server.conf' | 'nats-server-tls.conf') =>
  fileURLToPath(new URL(`../../nats/secure/${name}`, import.meta.url));

/**
 * The operator's password is given to the server as a bcrypt hash (cost 10), as production should: this
 * fixed, test-only pair proves the committed users.conf accepts one. Made with
 * `python3 -c "import crypt; print(crypt.crypt('<password>', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))"`.
 */
const OperatorPassword = 'operator-fixture-password-not-secret';
const OperatorBcrypt = '$2b$10$199EvELQsS6roImCzhAEj.UAkMyyrxcV/6F/UDUvgjydyJLBtZKNe';

/**
 * nats-server parses a variable's value as a config value: quoted, any password (or a bcrypt hash, whose
 * `$` would otherwise start a variable reference) is read as the string itself.
 */
export const quotedForNats = (value: string) => `"${value}"`;

export interface SecureNats {
  readonly server: RunningNatsServer;
  readonly passwords: Readonly<Record<NatsUser, string>>;
  /** A client as `user`; other options (inbox prefix, TLS) added. */
  readonly connectAs: (user: NatsUser, options?: Partial<NodeConnectionOptions>) => Promise<NatsConnection>;
}

/**
 * Starts nats-server on `secure/<config>` as committed. The server reads passwords (and TLS paths) from
 * its environment, so they are set on this process only while it spawns.
 */
export const startSecureNats = async (
  config: 'nats-server.conf' | 'nats-server-tls.conf',
  env: Readonly<Record<string, string>> = {},
): Promise<SecureNats> => {
  const passwords = { api: secret(), runner: secret(), analyst: secret(), operator: OperatorPassword };
  const onServer = { ...passwords, operator: OperatorBcrypt };
  for (const user of NatsUsers) vi.stubEnv(passwordVariable(user), quotedForNats(onServer[user]));
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const server = await startNatsServer({ config: secureConfigFile(config), jetstream: true }).finally(() => vi.unstubAllEnvs());
  return {
    server,
    passwords,
    connectAs: (user, options = {}) => connect({ servers: server.url, user, pass: passwords[user], ...options }),
  };
};

const secret = () => randomBytes(18).toString('base64url');
