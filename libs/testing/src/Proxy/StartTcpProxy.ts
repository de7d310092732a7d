// A loopback TCP proxy in front of a real service (Postgres, Redis), so a test can cut the service
// off for a while — open connections reset, new ones refused — without touching the shared server.
import { createServer, connect, type Socket } from 'node:net';

export interface RunningTcpProxy {
  readonly port: number;
  /** Resets every open connection and refuses new ones until `restore()`. */
  readonly cut: () => void;
  readonly restore: () => void;
  readonly stop: () => Promise<void>;
}

export const startTcpProxy = (targetHost: string, targetPort: number): Promise<RunningTcpProxy> =>
  new Promise((resolve, reject) => {
    const open = new Set<Socket>();
    let down = false;
    const server = createServer((client) => {
      if (down) return void client.resetAndDestroy();
      const upstream = connect(targetPort, targetHost);
      open.add(client);
      open.add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('the proxy has no TCP address'));
      resolve({
        port: address.port,
        cut: () => {
          down = true;
          for (const socket of open) socket.resetAndDestroy();
          open.clear();
        },
        restore: () => {
          down = false;
        },
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
