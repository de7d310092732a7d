// NATS credentials and TLS from the environment: each way to authenticate, the combinations that are
// refused with the variable to fix, and empty values read as unset.
import { describe, expect, it } from 'vitest';
import { ConfigProvider, Effect, Either, Redacted } from 'effect';
import { NatsSecurityConfig, type NatsSecurity } from '../../src/index.js';

const read = (vars: Record<string, string>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(NatsSecurityConfig, ConfigProvider.fromMap(new Map(Object.entries(vars))))));

const security = (vars: Record<string, string>): NatsSecurity => {
  const result = read(vars);
  if (Either.isLeft(result)) throw new Error(`expected a valid config, got ${String(result.left)}`);
  return result.right;
};

const refusal = (vars: Record<string, string>) => {
  const result = read(vars);
  if (Either.isRight(result)) throw new Error(`expected a refusal, got ${JSON.stringify(result.right)}`);
  return String(result.left);
};

describe('NatsSecurityConfig', () => {
  it('is anonymous over plain TCP when nothing is set', () => {
    expect(security({})).toEqual({ auth: { _tag: 'Anonymous' }, tls: undefined });
  });

  it('reads a user and a password, keeping the password redacted', () => {
    const { auth } = security({ NATS_USER: 'api', NATS_PASSWORD: 's3cret' });
    if (auth._tag !== 'UserPassword') throw new Error(`expected a user, got ${auth._tag}`);
    expect(auth.user).toBe('api');
    expect(Redacted.value(auth.password)).toBe('s3cret');
    expect(String(auth.password)).not.toContain('s3cret');
  });

  it('reads a token, a creds file or an nkey seed file', () => {
    const token = security({ NATS_TOKEN: 't0ken' }).auth;
    expect(token._tag === 'Token' && Redacted.value(token.token)).toBe('t0ken');
    expect(security({ NATS_CREDS: '/run/secrets/runner.creds' }).auth).toEqual({ _tag: 'CredsFile', path: '/run/secrets/runner.creds' });
    expect(security({ NATS_NKEY: '/run/secrets/runner.nk' }).auth).toEqual({ _tag: 'NKeySeedFile', path: '/run/secrets/runner.nk' });
  });

  it('treats empty variables as unset', () => {
    expect(security({ NATS_USER: '', NATS_PASSWORD: '', NATS_TLS_CA: '' })).toEqual({ auth: { _tag: 'Anonymous' }, tls: undefined });
  });

  it('refuses a user without a password, and a password without a user', () => {
    expect(refusal({ NATS_USER: 'api' })).toContain('NATS_PASSWORD');
    expect(refusal({ NATS_PASSWORD: 'x' })).toContain('NATS_USER');
  });

  it('refuses two ways to authenticate at once', () => {
    expect(refusal({ NATS_USER: 'api', NATS_PASSWORD: 'x', NATS_TOKEN: 't' })).toContain('set only one of');
    expect(refusal({ NATS_CREDS: '/a', NATS_NKEY: '/b' })).toContain('set only one of');
  });

  it('turns TLS on with a CA alone, or with a client certificate and its key', () => {
    expect(security({ NATS_TLS_CA: '/ca.pem' }).tls).toEqual({ caFile: '/ca.pem', clientCert: undefined });
    expect(security({ NATS_TLS_CA: '/ca.pem', NATS_TLS_CERT: '/c.pem', NATS_TLS_KEY: '/k.pem' }).tls).toEqual({
      caFile: '/ca.pem',
      clientCert: { certFile: '/c.pem', keyFile: '/k.pem' },
    });
    // A certificate from a public CA needs no NATS_TLS_CA: the system's roots are used.
    expect(security({ NATS_TLS_CERT: '/c.pem', NATS_TLS_KEY: '/k.pem' }).tls).toEqual({
      caFile: undefined,
      clientCert: { certFile: '/c.pem', keyFile: '/k.pem' },
    });
  });

  it('refuses a client certificate without its key, and a key without its certificate', () => {
    expect(refusal({ NATS_TLS_CERT: '/c.pem' })).toContain('NATS_TLS_KEY');
    expect(refusal({ NATS_TLS_KEY: '/k.pem' })).toContain('NATS_TLS_CERT');
  });
});
