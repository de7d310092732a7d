// Builds the MikroORM options for Larder's Postgres from a DATABASE_URL-style URL and an optional schema.
// With a schema, every connection sets `search_path` to it, so the unqualified migration SQL lands there
// (one schema per test file or per deployment namespace on one database).
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { CatalogSku } from '../Catalog/CatalogSku.js';
import { LedgerEntry } from '../Ledger/LedgerEntry.js';
import { migrationsList } from '../Migrations/index.js';
import { SkuSnapshot } from '../Snapshots/SkuSnapshot.js';
import { DEFAULT_DATABASE_URL, PostgresUrl } from './PostgresUrl.js';
import { SchemaName } from './SchemaName.js';

export interface OrmConfigInput {
  /** `postgresql://user[:password]@host[:port]/db`; defaults to the local development server. */
  readonly url?: string;
  /** Postgres schema for every table (created by `ensureSchema`); unset = the server's default search_path. */
  readonly schema?: string;
}

export const makeOrmConfig = ({ url = DEFAULT_DATABASE_URL, schema }: OrmConfigInput = {}) => {
  const connection = Schema.decodeUnknownSync(PostgresUrl)(url);
  const perSchema =
    schema === undefined
      ? {}
      : {
          schema: Schema.decodeUnknownSync(SchemaName)(schema),
          driverOptions: { connection: { options: `-c search_path=${schema}` } },
        };
  return defineConfig({
    ...connection,
    ...perSchema,
    entities: [SkuSnapshot, CatalogSku, LedgerEntry],
    extensions: [Migrator],
    migrations: {
      migrationsList: [...migrationsList],
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    pool: { min: 0, max: 10 },
  });
};
