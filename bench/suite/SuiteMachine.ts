// The machine's facts for the results file: the actors benchmark's (cores, model, memory, Node,
// nats-server, git revision, load average) plus the Postgres and Redis versions and how busy the
// cores were in the 2 s before the run (measured, where the load average lags a minute behind).
import { Redis } from 'ioredis';
import pg from 'pg';
import { machineFacts, type MachineFacts } from '../actors/MachineFacts.js';
import { machineBusyPercent } from '../actors/ProcessCpu.js';
import type { Services } from '../actors/Services.js';
import { serverNodeFlags } from './SuiteSystem.js';

export interface SuiteMachine extends MachineFacts {
  readonly postgres: string;
  readonly redis: string;
  /** % of one core the whole machine used in the 2 s before the run (200 = a 2-core machine flat out). */
  readonly busyBeforePercent: number | null;
  /** The V8 flags the API instances and runners ran with (`serverNodeFlags`), which change the figures. */
  readonly serverNodeFlags: { readonly api: ReadonlyArray<string>; readonly runner: ReadonlyArray<string> };
  /** What the servers ran: compiled output or the TypeScript sources through tsx. */
  readonly servers: string;
}

export const suiteMachine = async (services: Services, servers: string): Promise<SuiteMachine> => {
  const facts = machineFacts(services.nc);
  const client = new pg.Client({ connectionString: services.databaseUrl });
  await client.connect();
  const postgres = await client.query<{ server_version: string }>('show server_version').then((r) => r.rows[0]?.server_version ?? 'unknown');
  await client.end();
  const redis = new Redis(services.redisUrl);
  const info = await redis.info('server');
  await redis.quit();
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  return { ...facts, postgres, redis: redisVersion, busyBeforePercent: await machineBusyPercent(2_000), serverNodeFlags: { api: serverNodeFlags('api'), runner: serverNodeFlags('runner') }, servers };
};
