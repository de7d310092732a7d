// A private redis-server that speaks TLS only (the plain port is off), with the test CA's server
// certificate; clients are not asked for a certificate (Larder authenticates to Redis with the URL's password).
import { connect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { freePort } from '@larder/testing';
import { startServerProcess, type ServerProcess } from './ServerProcess.js';
import type { TestCertificates } from './TestCertificates.js';

export interface TlsRedis extends ServerProcess {
  readonly port: number;
}

/** True once a TLS handshake with the CA succeeds and PING answers PONG. */
const answersOverTls = (port: number, ca: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca: readFileSync(ca) }, () => socket.write('PING\r\n'));
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once('data', (data: Buffer) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });

export const startTlsRedis = async (certs: TestCertificates): Promise<TlsRedis> => {
  const port = await freePort();
  const server = await startServerProcess({
    name: 'redis-server (TLS only)',
    command: 'redis-server',
    args: [
      ...['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1'],
      ...['--tls-cert-file', certs.server.cert, '--tls-key-file', certs.server.key, '--tls-ca-cert-file', certs.ca],
      ...['--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--dir', certs.dir],
    ],
    ready: () => answersOverTls(port, certs.ca),
  });
  return { ...server, port };
};
