// First step of every reachability probe: does anything accept a TCP connection there, within a short timeout?
import { connect } from 'node:net';

export const probeTcp = (host: string, port: number, timeoutMs = 1_000): Promise<void> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`TCP connect to ${host}:${port} failed: ${reason}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (err) => fail(err.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
