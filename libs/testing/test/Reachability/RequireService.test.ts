// The discovery order of requireService with fake services: configured URL first, then a container only
// when a Docker engine exists, else the ServiceUnreachableError. No real services or Docker needed.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/NatsServer/FreePort.js';
import { requireService, type ServiceSpec } from '../../src/Reachability/RequireService.js';
import { ServiceUnreachableError } from '../../src/Reachability/Errors.js';

let listener: Server;
let openPort: number;

beforeAll(async () => {
  listener = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  openPort = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

const fakeSpec = (overrides: Partial<ServiceSpec>): ServiceSpec => ({
  service: 'Redis',
  envVar: 'FAKE_URL',
  defaultUrl: 'redis://127.0.0.1:1',
  defaultPort: 6379,
  startCommand: (port) => `fake-server --port ${port}`,
  handshake: () => Promise.resolve(),
  startContainer: () => Promise.reject(new Error('startContainer was not expected in this test')),
  ...overrides,
});

describe('requireService', () => {
  it('returns the configured URL when TCP and the handshake succeed', async () => {
    const url = `redis://127.0.0.1:${openPort}`;
    const endpoint = await requireService(fakeSpec({}), { env: { FAKE_URL: url } });
    expect(endpoint).toMatchObject({ url, origin: 'configured' });
  });

  it('treats a failed handshake as unreachable', async () => {
    const spec = fakeSpec({ handshake: () => Promise.reject(new Error('JetStream not enabled')) });
    const attempt = requireService(spec, { url: `redis://127.0.0.1:${openPort}`, dockerEngineAvailable: async () => false });
    await expect(attempt).rejects.toBeInstanceOf(ServiceUnreachableError);
    await expect(attempt).rejects.toThrow(/Cause: JetStream not enabled/);
  });

  it('starts a container when the service is down and a Docker engine exists', async () => {
    const closed = await freePort();
    const containerUrl = `redis://127.0.0.1:${openPort}`;
    const spec = fakeSpec({ startContainer: async () => ({ url: containerUrl, origin: 'container', stop: () => Promise.resolve() }) });
    const endpoint = await requireService(spec, { url: `redis://127.0.0.1:${closed}`, dockerEngineAvailable: async () => true });
    expect(endpoint).toMatchObject({ url: containerUrl, origin: 'container' });
  });
});
