// A SKU's row in `sku_snapshot`, read (and, for probes, rewritten) with plain `pg` in the fixture's
// schema, so assertions about snapshots do not go through the store under test.
import { decodeState, encodeState, Sku, type SkuState } from '@larder/domain';
import { Either, Schema } from 'effect';
import pg from 'pg';
import type { RunnerFixture } from './RunnerFixture.js';

const Row = Schema.Struct({
  sku: Sku,
  shard: Schema.Number,
  // bigint columns come back as strings
  seq: Schema.NumberFromString,
  epoch: Schema.NumberFromString,
  state: Schema.Unknown,
});
export type SnapshotRow = typeof Row.Type;
const decodeRows = Schema.decodeUnknownSync(Schema.Array(Row));

const setting = (f: RunnerFixture, name: 'DATABASE_URL' | 'LARDER_DB_SCHEMA'): string => {
  const value = f.env[name];
  if (value === undefined) throw new Error(`the fixture has no ${name}`);
  return value;
};

const withClient = async <A>(f: RunnerFixture, use: (client: pg.Client, table: string) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: setting(f, 'DATABASE_URL') });
  await client.connect();
  try {
    return await use(client, `"${setting(f, 'LARDER_DB_SCHEMA')}".sku_snapshot`);
  } finally {
    await client.end();
  }
};

export const snapshotRowOf = (f: RunnerFixture, sku: Sku): Promise<SnapshotRow | undefined> =>
  withClient(f, async (client, table) => {
    const result = await client.query(`select sku, shard, seq, epoch, state from ${table} where sku = $1`, [sku]);
    return decodeRows(result.rows)[0];
  });

/** The row's state, decoded the way the loader decodes it. */
export const snapshotStateOf = (row: SnapshotRow): SkuState =>
  Either.getOrThrowWith(decodeState(row.state), (e) => new Error(`snapshot of ${row.sku} does not decode: ${e.message}`));

/** Rewrites the stored state in place (seq and epoch unchanged): a marker a reloaded actor shows. */
export const rewriteSnapshotState = (f: RunnerFixture, sku: Sku, change: (state: SkuState) => SkuState): Promise<void> =>
  withClient(f, async (client, table) => {
    const row = decodeRows((await client.query(`select sku, shard, seq, epoch, state from ${table} where sku = $1`, [sku])).rows)[0];
    if (row === undefined) throw new Error(`no snapshot of ${sku} to rewrite`);
    const state = JSON.stringify(encodeState(change(snapshotStateOf(row))));
    await client.query(`update ${table} set state = $2::jsonb where sku = $1`, [sku, state]);
  });
