// Applies Larder's migrations to the ORM's configured schema, creating the schema first when it is missing.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { SchemaName } from '../Config/SchemaName.js';

/** Creates the configured schema if absent; a no-op without a schema (the server's default search_path). */
export const ensureSchema = async (orm: MikroORM): Promise<void> => {
  const schema = orm.config.get('schema');
  if (schema === undefined) return;
  const name = Schema.decodeUnknownSync(SchemaName)(schema);
  await orm.em.getConnection().execute(`create schema if not exists "${name}"`);
};

/** Ensures the schema, then runs every pending migration; returns the names of the ones applied. */
export const migrate = async (orm: MikroORM): Promise<ReadonlyArray<string>> => {
  await ensureSchema(orm);
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
};
