// The baselines of issue 5 as child processes behind the same framework (Fastify 5), started when
// a scenario first needs them: (a) a bare route answering a constant, (b) a Postgres row-lock
// reserve (UPDATE … available >= $q + ledger INSERT, one transaction), (c) a Redis Lua reserve.
import { freePort } from '@larder/testing';
import { startChildService, type ChildExit, type ChildService } from '../actors/ChildService.js';
import type { Services } from '../actors/Services.js';
import { makeBaselineStores, type BaselineStores } from './BaselineStores.js';

export interface ReserveBaselines {
  readonly stores: BaselineStores;
  /** `http://127.0.0.1:<port>` of (b) and (c); both serve `POST /reserve` `{sku, qty}` → 201 / 409. */
  readonly pgOrigin: string;
  readonly redisOrigin: string;
  readonly pgPid: number;
  readonly redisPid: number;
}

export interface Baselines {
  /** Baseline (a): its origin and pid; `GET /baseline` answers `{status: "ok"}`. */
  readonly bare: () => Promise<{ readonly origin: string; readonly pid: number }>;
  readonly reserve: () => Promise<ReserveBaselines>;
  readonly stop: () => Promise<Readonly<Record<string, ChildExit | null>>>;
}

const ReadyMs = 120_000;

export const makeBaselines = (services: Services, onChild: (child: ChildService) => void): Baselines => {
  const children = new Map<string, ChildService>();
  let bare: Promise<{ origin: string; pid: number }> | null = null;
  let reserve: Promise<ReserveBaselines> | null = null;
  let stores: BaselineStores | null = null;
  const start = async (name: string, entry: string, env: Record<string, string>) => {
    const port = await freePort();
    const child = await startChildService({ name, entry, env: { ...env, PORT: String(port) }, ready: `"${name} ready"`, readyTimeoutMs: ReadyMs });
    children.set(name, child);
    onChild(child);
    return { origin: `http://127.0.0.1:${port}`, pid: child.pid };
  };
  return {
    bare: () => (bare ??= start('baseline', 'bench/api/BaselineChild.ts', {})),
    reserve: () =>
      (reserve ??= (async () => {
        const s = makeBaselineStores(services.databaseUrl, services.redisUrl);
        stores = s;
        await s.create();
        const env = { DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl, BASE_SCHEMA: s.schema, BASE_PREFIX: s.redisPrefix };
        const pgChild = await start('baseline-pg', 'bench/api/PgReserveChild.ts', env);
        const redisChild = await start('baseline-redis', 'bench/api/RedisReserveChild.ts', env);
        return { stores: s, pgOrigin: pgChild.origin, redisOrigin: redisChild.origin, pgPid: pgChild.pid, redisPid: redisChild.pid };
      })()),
    stop: async () => {
      const exits: Record<string, ChildExit | null> = {};
      for (const [name, child] of children) exits[name] = await child.stop(15_000).catch(() => null);
      if (stores !== null) await stores.remove().catch((error: unknown) => process.stderr.write(`✖ removing the baseline stores failed: ${String(error)}\n`));
      return exits;
    },
  };
};
