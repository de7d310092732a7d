// A private nats-server started from deploy/nats/nats-server.conf on a free port: JetStream works, and
// stop() leaves neither the process nor the listening port behind.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { probeTcp, requireNats, startNatsServer } from '../src/index.js';

const config = fileURLToPath(new URL('../../../deploy/nats/nats-server.conf', import.meta.url));

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startNatsServer with the deploy config', () => {
  it('serves JetStream on its own port and is gone after stop()', async () => {
    const server = await startNatsServer({ config, jetstream: true });
    try {
      expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
      expect(server.port).not.toBe(4222);
      const nc = await connect({ servers: server.url });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'PROBE', subjects: ['probe.>'] });
      const ack = await jetstream(nc).publish('probe.one', 'hello');
      expect(ack.stream).toBe('PROBE');
      expect((await jsm.streams.info('PROBE')).state.messages).toBe(1);
      // The config file was applied: the server announces its name and payload limit in INFO.
      expect(nc.info?.server_name).toBe('larder-nats');
      expect(nc.info?.max_payload).toBe(1024 * 1024);
      await nc.close();
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
    await expect(probeTcp('127.0.0.1', server.port, 500)).rejects.toThrow(/TCP connect/);
  });
});

describe('startNatsServer with a config nats-server rejects', () => {
  it('fails at once with the server error instead of waiting for the port', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'larder-bad-conf-'));
    try {
      const broken = join(dir, 'broken.conf');
      await writeFile(broken, 'jetstream {\n  store_dir: "/nowhere"\n');
      await expect(startNatsServer({ config: broken, jetstream: true, readyTimeoutMs: 5_000 })).rejects.toThrow(/exited \(code 1\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a NATS server without JetStream', () => {
  it('fails the requireNats handshake although it accepts connections', async () => {
    const server = await startNatsServer({ jetstream: false });
    try {
      const attempt = requireNats({ url: server.url, dockerEngineAvailable: async () => false });
      await expect(attempt).rejects.toThrow(new RegExp(`^NATS is not reachable at ${server.url} \\(NATS_URL\\)`));
      await expect(attempt).rejects.toThrow(/Cause: .*jetstream/i);
    } finally {
      await server.stop();
    }
  });
});
