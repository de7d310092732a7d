// The client options built from the NATS security settings: the right authenticator for each way,
// files read when the client connects (so a rotated file is picked up), and TLS files passed through.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { Redacted } from 'effect';
import { afterAll, describe, expect, it } from 'vitest';
import { describeNatsSecurity, natsSecurityOptions } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'larder-nats-security-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the client sends in CONNECT, from the authenticator alone (the server's nonce signs nkeys). */
const authFields = (options: ReturnType<typeof natsSecurityOptions>, nonce = 'nonce-1') => {
  const { authenticator } = options;
  if (authenticator === undefined || Array.isArray(authenticator)) throw new Error('expected one authenticator');
  return authenticator(nonce);
};

describe('natsSecurityOptions', () => {
  it('sets nothing for an anonymous plain connection', () => {
    expect(natsSecurityOptions({ auth: { _tag: 'Anonymous' }, tls: undefined })).toEqual({});
  });

  it('sends the user and password', () => {
    const options = natsSecurityOptions({ auth: { _tag: 'UserPassword', user: 'api', password: Redacted.make('pw') }, tls: undefined });
    expect(authFields(options)).toEqual({ user: 'api', pass: 'pw' });
  });

  it('sends the token', () => {
    expect(authFields(natsSecurityOptions({ auth: { _tag: 'Token', token: Redacted.make('t0k') }, tls: undefined }))).toEqual({ auth_token: 't0k' });
  });

  it('reads the nkey seed file at each connect: a rotated file is used by the next connect', () => {
    const path = join(dir, 'runner.nk');
    const first = nkeys.createUser();
    const second = nkeys.createUser();
    writeFileSync(path, `${new TextDecoder().decode(first.getSeed())}\n`);
    const options = natsSecurityOptions({ auth: { _tag: 'NKeySeedFile', path }, tls: undefined });
    expect(authFields(options)).toMatchObject({ nkey: first.getPublicKey() });
    writeFileSync(path, new TextDecoder().decode(second.getSeed()));
    expect(authFields(options)).toMatchObject({ nkey: second.getPublicKey() });
  });

  it('fails at connect, naming the file, when the creds file is missing', () => {
    const options = natsSecurityOptions({ auth: { _tag: 'CredsFile', path: join(dir, 'missing.creds') }, tls: undefined });
    expect(() => authFields(options)).toThrow(/missing\.creds/);
  });

  it('passes the TLS files to the client, only those that are set', () => {
    expect(natsSecurityOptions({ auth: { _tag: 'Anonymous' }, tls: { caFile: '/ca.pem', clientCert: undefined } })).toEqual({
      tls: { caFile: '/ca.pem' },
    });
    expect(
      natsSecurityOptions({ auth: { _tag: 'Anonymous' }, tls: { caFile: undefined, clientCert: { certFile: '/c.pem', keyFile: '/k.pem' } } }),
    ).toEqual({ tls: { certFile: '/c.pem', keyFile: '/k.pem' } });
  });
});

describe('describeNatsSecurity', () => {
  it('names the user and the transport, never the secret', () => {
    const text = describeNatsSecurity({
      auth: { _tag: 'UserPassword', user: 'runner', password: Redacted.make('hunter2') },
      tls: { caFile: '/ca.pem', clientCert: { certFile: '/c.pem', keyFile: '/k.pem' } },
    });
    expect(text).toBe('user runner (NATS_USER), TLS with a client certificate');
    expect(text).not.toContain('hunter2');
  });
});
