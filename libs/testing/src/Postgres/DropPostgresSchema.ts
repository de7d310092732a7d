// Cleanup after a test file: drops its Postgres schema and everything in it (raw `drop schema … cascade`,
// because MikroORM's dropNamespace refuses once the migrations table exists).
import pg from 'pg';

const SAFE_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export const dropPostgresSchema = async (url: string, schema: string): Promise<void> => {
  if (!SAFE_SCHEMA.test(schema)) throw new Error(`refusing to drop schema ${JSON.stringify(schema)}: not ${SAFE_SCHEMA}`);
  if (schema === 'public') throw new Error('refusing to drop schema "public"');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
};
