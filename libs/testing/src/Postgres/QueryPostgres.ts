// For tests that must set up or inspect a table directly (a crash left a row half-written): one
// statement in a test file's own schema, its rows as node-postgres returns them.
import pg from 'pg';

const SAFE_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export const queryPostgres = async (url: string, schema: string, sql: string, params: ReadonlyArray<unknown> = []): Promise<ReadonlyArray<unknown>> => {
  if (!SAFE_SCHEMA.test(schema)) throw new Error(`refusing schema ${JSON.stringify(schema)}: not ${SAFE_SCHEMA}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    const result = await client.query(sql, [...params]);
    return result.rows;
  } finally {
    await client.end();
  }
};
