// A throwaway PKI for TLS tests, made with the `openssl` binary: a CA, a server certificate for
// 127.0.0.1/localhost, and a client certificate, all signed by that CA; plus a second, untrusted CA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface TestCertificates {
  readonly dir: string;
  /** The CA certificate that signed `server` and `client`. */
  readonly ca: string;
  /** SAN IP:127.0.0.1 and DNS:localhost, extended key usage serverAuth. */
  readonly server: KeyPair;
  /** CN=larder-client, extended key usage clientAuth. */
  readonly client: KeyPair;
  /** A client certificate from another CA, which the servers must not accept. */
  readonly stranger: KeyPair;
  readonly remove: () => void;
}

const openssl = (args: ReadonlyArray<string>) => {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`openssl ${args.join(' ')} failed (is the openssl package installed?): ${String(error)}`, { cause: error });
  }
};

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

const selfSignedCa = (dir: string, name: string) => {
  const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  openssl(['req', '-x509', ...ecKey, '-keyout', pair.key, '-out', pair.cert, '-days', '2', '-subj', `/CN=${name}`]);
  return pair;
};

const signed = (dir: string, name: string, ca: KeyPair, extensions: string) => {
  const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, extensions);
  openssl(['req', ...ecKey, '-keyout', pair.key, '-out', csr, '-subj', `/CN=${name}`]);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', pair.cert, '-days', '2', '-extfile', ext]);
  return pair;
};

export const makeTestCertificates = (): TestCertificates => {
  const dir = mkdtempSync(join(tmpdir(), 'larder-tls-'));
  try {
    const ca = selfSignedCa(dir, 'larder-test-ca');
    const other = selfSignedCa(dir, 'another-ca');
    return {
      dir,
      ca: ca.cert,
      server: signed(dir, 'server', ca, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'),
      client: signed(dir, 'larder-client', ca, 'extendedKeyUsage=clientAuth\n'),
      stranger: signed(dir, 'stranger', other, 'extendedKeyUsage=clientAuth\n'),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
};
