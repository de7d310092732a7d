// The reservation baselines' own Postgres schema and Redis prefix (`bench_base_<12 hex>`): created
// and stocked before their children start, read back after their scenario (oversell), then removed.
import { randomBytes } from 'node:crypto';
import { deleteRedisKeys, dropPostgresSchema } from '@larder/testing';
import { Redis } from 'ioredis';
import pg from 'pg';

/** Connections of the Postgres baseline's pool (the load is 50 connections on one row lock). */
export const PgPoolSize = 20;
/** Stock of the one SKU in each store: far more than a run can reserve, so nothing is refused. */
export const BaselineSeed = 1_000_000_000;

const SafeSchema = /^bench_base_[a-f0-9]{12}$/;

export const safeSchema = (schema: string): string => {
  if (!SafeSchema.test(schema)) throw new Error(`BASE_SCHEMA must match ${SafeSchema}, got ${JSON.stringify(schema)}`);
  return schema;
};

export const redisBaselineKey = (prefix: string, sku: string): string => `${prefix}stock:${sku}`;

export type BaselineStoreId = 'baseline-pg' | 'baseline-redis';

export interface BaselineStockCheck {
  readonly id: BaselineStoreId;
  readonly seeded: number;
  /** Read after the run: the row (Postgres) or the key (Redis). */
  readonly available: number;
  /** seeded − available: units the store handed out. */
  readonly decremented: number;
  /** 201 answers counted by the load generator, warm-up + measured. */
  readonly answered201: number;
  /** decremented − answered201: applied but unanswered when a run stopped mid-flight (≤ 2 × connections). */
  readonly unanswered: number;
  /** Units handed out beyond the stock: max(0, −available). Must be 0. */
  readonly oversold: number;
  /** Postgres only: rows in the ledger, which must equal `decremented`. */
  readonly ledgerRows: number | null;
}

export interface BaselineStoreRemoved {
  readonly postgresSchema: string;
  readonly redisKeys: number;
}

export interface ReserveBaselineStore {
  readonly schema: string;
  readonly redisPrefix: string;
  readonly sku: string;
  readonly create: () => Promise<void>;
  readonly check: (id: BaselineStoreId, answered201: number) => Promise<BaselineStockCheck>;
  readonly remove: () => Promise<BaselineStoreRemoved>;
}

const withClient = async <T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
};

const count = (value: unknown): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${JSON.stringify(value)}`);
  return n;
};

export const makeReserveBaselineStore = (databaseUrl: string, redisUrl: string, sku: string): ReserveBaselineStore => {
  const schema = `bench_base_${randomBytes(6).toString('hex')}`;
  const redisPrefix = `${schema}:`;
  const key = redisBaselineKey(redisPrefix, sku);
  const withRedis = async <T>(use: (redis: Redis) => Promise<T>): Promise<T> => {
    const redis = new Redis(redisUrl);
    try {
      return await use(redis);
    } finally {
      await redis.quit();
    }
  };
  const result = (id: BaselineStoreId, available: number, answered201: number, ledgerRows: number | null): BaselineStockCheck => {
    const decremented = BaselineSeed - available;
    return { id, seeded: BaselineSeed, available, decremented, answered201, unanswered: decremented - answered201, oversold: Math.max(0, -available), ledgerRows };
  };
  return {
    schema,
    redisPrefix,
    sku,
    create: async () => {
      await withClient(databaseUrl, async (client) => {
        await client.query(`create schema "${schema}"`);
        await client.query(`create table "${schema}".stock (sku text primary key, available bigint not null)`);
        await client.query(`create table "${schema}".ledger (id bigserial primary key, sku text not null, qty integer not null, at timestamptz not null default now())`);
        await client.query(`insert into "${schema}".stock (sku, available) values ($1, $2)`, [sku, BaselineSeed]);
      });
      await withRedis((redis) => redis.set(key, String(BaselineSeed)));
    },
    check: async (id, answered201) => {
      if (id === 'baseline-redis') return result(id, count(await withRedis((redis) => redis.get(key))), answered201, null);
      return withClient(databaseUrl, async (client) => {
        // One statement, one snapshot: a late transaction cannot commit between the two reads.
        const read = await client.query<{ available: string; n: string }>(
          `select (select available from "${schema}".stock where sku = $1) as available, (select count(*) from "${schema}".ledger where sku = $1) as n`,
          [sku],
        );
        const [row] = read.rows;
        return result(id, count(row?.available), answered201, count(row?.n));
      });
    },
    remove: async () => {
      await dropPostgresSchema(databaseUrl, schema);
      return { postgresSchema: schema, redisKeys: await withRedis((redis) => deleteRedisKeys(redis, redisPrefix)) };
    },
  };
};
