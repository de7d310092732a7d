// An API instance as a child process (apps/api/src/main.ts), so a test can SIGKILL it mid-request; it
// shares the fixture's namespace and accepts the fixture's credentials (same principals, same derived ids).
import { ApiWithoutShedding, freePort, startLarderProcess, type LarderProcess } from '@larder/testing';
import { makeApiClient, type ApiClient } from '../Support/HttpClient.js';
import type { SystemFixture } from '../Support/SystemFixture.js';

export interface ChildApi {
  readonly process: LarderProcess;
  /** A client of the child with the fixture's admin key by default. */
  readonly client: ApiClient;
}

export const startChildApi = async (f: SystemFixture, overrides: Record<string, string> = {}): Promise<ChildApi> => {
  const port = await freePort();
  const child = await startLarderProcess({
    name: 'api',
    entry: 'apps/api/src/main.ts',
    // f.serviceEnv: URLs, namespace, schema; f.env: the fixture's API keys and JWT settings.
    env: { ...f.serviceEnv, ...f.env, ...ApiWithoutShedding, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...overrides },
    ready: '"api ready"',
    readyTimeoutMs: 60_000,
  });
  return { process: child, client: makeApiClient(`http://127.0.0.1:${port}`, f.keys.admin) };
};
