// Builds the MikroORM options for Larder's Postgres from a DATABASE_URL-style URL and an optional schema.
// With a schema, every connection sets `search_path` to it, so the unqualified migration SQL lands there
// (one schema per test file or per deployment namespace on one database).
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { CatalogSku } from '../Catalog/CatalogSku.js';
import { ImportedRow } from '../Imports/ImportedRow.js';
import { LedgerEntry } from '../Ledger/LedgerEntry.js';
import { migrationsList } from '../Migrations/index.js';
import { PollAnswerRecord } from '../Signals/PollAnswerRecord.js';
import { PollMappingAnswerRecord } from '../Signals/PollMappingAnswerRecord.js';
import { PollMappingRecord } from '../Signals/PollMappingRecord.js';
import { SkuSnapshot } from '../Snapshots/SkuSnapshot.js';
import { DEFAULT_DATABASE_URL, PostgresUrl, type PostgresConnection } from './PostgresUrl.js';
import { SchemaName } from './SchemaName.js';

export interface OrmConfigInput {
  /** `postgresql://user[:password]@host[:port]/db`; defaults to the local development server. */
  readonly url?: string;
  /** Postgres schema for every table (created by `ensureSchema`); unset = the server's default search_path. */
  readonly schema?: string;
}

/**
 * node-postgres' `ssl` for a URL's `sslmode`; undefined leaves it to PGSSLMODE. `require`, `verify-ca` and
 * `verify-full` all verify the chain and the host name in node-postgres (trust a private CA with
 * NODE_EXTRA_CA_CERTS); `no-verify` encrypts without checking who answers.
 */
const sslOf = (sslmode: PostgresConnection['sslmode']) => {
  switch (sslmode) {
    case undefined:
      return undefined;
    case 'disable':
      return false;
    case 'no-verify':
      return { rejectUnauthorized: false };
    default:
      return true;
  }
};

export const makeOrmConfig = ({ url = DEFAULT_DATABASE_URL, schema }: OrmConfigInput = {}) => {
  const { sslmode, ...connection } = Schema.decodeUnknownSync(PostgresUrl)(url);
  const ssl = sslOf(sslmode);
  const driverConnection = {
    ...(schema === undefined ? {} : { options: `-c search_path=${Schema.decodeUnknownSync(SchemaName)(schema)}` }),
    ...(ssl === undefined ? {} : { ssl }),
  };
  return defineConfig({
    ...connection,
    ...(schema === undefined ? {} : { schema }),
    ...(Object.keys(driverConnection).length === 0 ? {} : { driverOptions: { connection: driverConnection } }),
    entities: [SkuSnapshot, CatalogSku, LedgerEntry, ImportedRow, PollAnswerRecord, PollMappingRecord, PollMappingAnswerRecord],
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
