// startNatsServer's process handling, with a fake `nats-server` (a node script) instead of the real one:
// the arguments it gets, and SIGKILL after the grace period when the process ignores SIGTERM.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer } from '../../src/NatsServer/StartNatsServer.js';

// Listens on the -p port, records its argv, and ignores SIGTERM like a wedged server would.
const FAKE_SERVER = `#!/usr/bin/env node
const { createServer } = require('node:net');
const { writeFileSync } = require('node:fs');
const args = process.argv.slice(2);
writeFileSync(process.env.FAKE_ARGS_FILE, JSON.stringify(args));
process.on('SIGTERM', () => {});
createServer((s) => s.end()).listen(Number(args[args.indexOf('-p') + 1]), '127.0.0.1');
`;

let dir: string;
let binary: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'larder-fake-nats-'));
  binary = join(dir, 'fake-nats-server.cjs');
  await writeFile(binary, FAKE_SERVER);
  await chmod(binary, 0o755);
  process.env['FAKE_ARGS_FILE'] = join(dir, 'args.json');
});

afterAll(async () => {
  delete process.env['FAKE_ARGS_FILE'];
  await rm(dir, { recursive: true, force: true });
});

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a server that ignores SIGTERM', () => {
  it('gets the config, address, port and store dir flags, and is SIGKILLed after the grace period', async () => {
    const server = await startNatsServer({ binary, config: '/etc/larder.conf', jetstream: true, stopTimeoutMs: 300 });
    const args: unknown = JSON.parse(await readFile(join(dir, 'args.json'), 'utf8'));
    expect(args).toEqual(['-c', '/etc/larder.conf', '-a', '127.0.0.1', '-p', String(server.port), '-js', '-sd', expect.stringContaining('larder-nats-')]);

    const started = Date.now();
    await server.stop();

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(isAlive(server.pid)).toBe(false);
  });
});
