// The stores of reservation baselines (b) Postgres and (c) Redis for the whole run: one schema and
// Redis prefix `bench_base_<12 hex>`, SKUs seeded per scenario, read back afterwards for oversell
// (a row or key below 0, more ledger rows than units) exactly as Larder's SKUs are.
import { randomBytes } from 'node:crypto';
import { deleteRedisKeys, dropPostgresSchema } from '@larder/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { redisBaselineKey } from '../api/ReserveBaselineStore.js';
import { oversellReport, type OversellReport, type SourceCheck } from './Oversell.js';

export interface BaselineStores {
  readonly schema: string;
  readonly redisPrefix: string;
  readonly create: () => Promise<void>;
  readonly seed: (supplied: ReadonlyMap<string, number>) => Promise<void>;
  readonly checkPg: (supplied: ReadonlyMap<string, number>, answeredHeld: number) => Promise<OversellReport>;
  readonly checkRedis: (supplied: ReadonlyMap<string, number>, answeredHeld: number) => Promise<OversellReport>;
  readonly remove: () => Promise<void>;
}

export const makeBaselineStores = (databaseUrl: string, redisUrl: string): BaselineStores => {
  const schema = `bench_base_${randomBytes(6).toString('hex')}`;
  const redisPrefix = `${schema}:`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const redis = new Redis(redisUrl);
  const levelsCheck = (source: string, supplied: ReadonlyMap<string, number>, available: ReadonlyMap<string, number>): SourceCheck => {
    let taken = 0;
    let oversold = 0;
    let skusOversold = 0;
    let missing = 0;
    for (const [sku, units] of supplied) {
      const a = available.get(sku);
      if (a === undefined) {
        missing++;
        continue;
      }
      taken += units - a;
      if (a < 0) {
        oversold += -a;
        skusOversold++;
      }
    }
    return { source, taken, committed: null, oversold, skusOversold, missing };
  };
  return {
    schema,
    redisPrefix,
    create: async () => {
      await pool.query(`create schema "${schema}"`);
      await pool.query(`create table "${schema}".stock (sku text primary key, available bigint not null)`);
      await pool.query(`create table "${schema}".ledger (id bigserial primary key, sku text not null, qty integer not null, at timestamptz not null default now())`);
    },
    seed: async (supplied) => {
      const entries = [...supplied];
      for (let i = 0; i < entries.length; i += 1_000) {
        const chunk = entries.slice(i, i + 1_000);
        await pool.query(`insert into "${schema}".stock (sku, available) select * from unnest($1::text[], $2::bigint[])`, [chunk.map(([s]) => s), chunk.map(([, q]) => q)]);
        await redis.mset(chunk.flatMap(([s, q]) => [redisBaselineKey(redisPrefix, s), String(q)]));
      }
    },
    checkPg: async (supplied, answeredHeld) => {
      const skus = [...supplied.keys()];
      // One statement, one snapshot: the row and the ledger are read at the same instant.
      const r = await pool.query<{ sku: string; available: string; rows: string }>(
        `select s.sku, s.available::text as available, (select count(*) from "${schema}".ledger l where l.sku = s.sku)::text as rows from "${schema}".stock s where s.sku = any($1)`,
        [skus],
      );
      const available = new Map(r.rows.map((row) => [row.sku, Number(row.available)]));
      const ledgerLeft = new Map(r.rows.map((row) => [row.sku, (supplied.get(row.sku) ?? 0) - Number(row.rows)]));
      return oversellReport(supplied, answeredHeld, null, [levelsCheck('Postgres row', supplied, available), levelsCheck('Postgres ledger', supplied, ledgerLeft)]);
    },
    checkRedis: async (supplied, answeredHeld) => {
      const skus = [...supplied.keys()];
      const available = new Map<string, number>();
      for (let i = 0; i < skus.length; i += 1_000) {
        const chunk = skus.slice(i, i + 1_000);
        const values = await redis.mget(chunk.map((s) => redisBaselineKey(redisPrefix, s)));
        chunk.forEach((sku, j) => {
          const v = values[j];
          if (v !== null && v !== undefined) available.set(sku, Number(v));
        });
      }
      return oversellReport(supplied, answeredHeld, null, [levelsCheck('Redis key', supplied, available)]);
    },
    remove: async () => {
      await pool.end();
      await dropPostgresSchema(databaseUrl, schema);
      await deleteRedisKeys(redis, redisPrefix);
      await redis.quit();
    },
  };
};
