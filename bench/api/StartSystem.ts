// The system under test, as `npm start` runs it: one shard runner, then one API instance on a free
// port with a generated key (every scope) in LARDER_API_KEYS, both as child processes.
import { freePort } from '@larder/testing';
import { generateApiKey } from '../../apps/api/src/Auth/ApiKeys.js';
import type { ApiIsolation } from './ApiIsolation.js';
import { startChildService, type ChildExit, type ChildService } from '../actors/ChildService.js';

export interface RunningSystem {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly runner: ChildService;
  readonly api: ChildService;
}

export interface StoppedSystem {
  readonly api: ChildExit;
  readonly runner: ChildExit;
}

const ReadyTimeoutMs = 90_000;

export const startSystem = async (isolation: ApiIsolation): Promise<RunningSystem> => {
  const port = await freePort();
  const { key, entry } = generateApiKey('bench', ['admin']);
  const env = { ...isolation.env, LOG_LEVEL: 'info', PORT: String(port), LARDER_API_KEYS: JSON.stringify([entry]) };
  // BENCH_PROFILE_DIR=<dir>: a V8 CPU profile of the runner and the API, written when they stop.
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  const nodeArgs = profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const runner = await startChildService({
    name: 'runner',
    entry: 'apps/inventory-actors/src/main.ts',
    env,
    ready: '"runner ready"',
    readyTimeoutMs: ReadyTimeoutMs,
    nodeArgs,
  });
  try {
    const api = await startChildService({ name: 'api', entry: 'apps/api/src/main.ts', env, ready: '"api ready"', readyTimeoutMs: ReadyTimeoutMs, nodeArgs });
    return { baseUrl: `http://127.0.0.1:${port}`, apiKey: key, runner, api };
  } catch (error) {
    await runner.stop(15_000);
    throw error;
  }
};

/** The API first (it stops taking requests), then the runner; each SIGTERM, SIGKILL after `graceMs`. */
export const stopSystem = async (system: RunningSystem, graceMs: number): Promise<StoppedSystem> => {
  const api = await system.api.stop(graceMs);
  const runner = await system.runner.stop(graceMs);
  return { api, runner };
};
