// A private Postgres 15 cluster (initdb in a temp dir, run as the `postgres` user) that accepts only
// TLS connections from 127.0.0.1 (pg_hba `hostssl`), with the test CA's server certificate.
import { execFileSync } from 'node:child_process';
import { chownSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, probeTcp } from '@larder/testing';
import { startServerProcess, type ServerProcess } from './ServerProcess.js';
import type { TestCertificates } from './TestCertificates.js';

export const PostgresBin = '/usr/lib/postgresql/15/bin';

export interface TlsPostgres extends ServerProcess {
  readonly port: number;
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` (trust auth, TLS required by pg_hba). */
  readonly url: string;
}

const idOf = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());

export const startTlsPostgres = async (certs: TestCertificates): Promise<TlsPostgres> => {
  const user = { uid: idOf('-u'), gid: idOf('-g') };
  const dir = mkdtempSync(join(tmpdir(), 'larder-pg-tls-'));
  const data = join(dir, 'data');
  chownSync(dir, user.uid, user.gid);
  try {
    execFileSync(join(PostgresBin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync'], { ...user, stdio: 'ignore' });
    // Postgres wants the key private to its own user.
    for (const [from, to] of [
      [certs.server.cert, 'server.pem'],
      [certs.server.key, 'server.key'],
      [certs.ca, 'ca.pem'],
    ] as const) {
      copyFileSync(from, join(data, to));
      chownSync(join(data, to), user.uid, user.gid);
    }
    execFileSync('chmod', ['600', join(data, 'server.key')]);
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
    const port = await freePort();
    const server = await startServerProcess({
      name: 'postgres (TLS only)',
      command: join(PostgresBin, 'postgres'),
      args: [
        ...['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'],
        ...['-c', 'ssl=on', '-c', 'ssl_cert_file=server.pem', '-c', 'ssl_key_file=server.key', '-c', 'ssl_ca_file=ca.pem'],
        ...['-c', 'fsync=off', '-c', 'shared_buffers=16MB', '-c', 'max_connections=30'],
      ],
      user,
      stopSignal: 'SIGINT',
      ready: () =>
        probeTcp('127.0.0.1', port, 500).then(
          () => {
            try {
              execFileSync(join(PostgresBin, 'pg_isready'), ['-h', dir, '-p', String(port)], { stdio: 'ignore' });
              return true;
            } catch {
              return false;
            }
          },
          () => false,
        ),
    });
    return {
      ...server,
      port,
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      stop: async () => {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
};
