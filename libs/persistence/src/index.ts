// Public door of @larder/persistence: MikroORM config, entities and migrations for Larder's Postgres.
export { CatalogSku } from './Catalog/CatalogSku.js';
export { makeOrmConfig, type OrmConfigInput } from './Config/MakeOrmConfig.js';
export { DEFAULT_DATABASE_URL, PostgresConnection, PostgresUrl } from './Config/PostgresUrl.js';
export { SchemaName } from './Config/SchemaName.js';
export { ImportedRow } from './Imports/ImportedRow.js';
export { LedgerEntry } from './Ledger/LedgerEntry.js';
export { encodeLedgerCursor, LedgerCursor, LedgerPosition } from './Ledger/LedgerPosition.js';
export { LedgerLevels, LedgerRow } from './Ledger/LedgerRow.js';
export { LedgerStore, makeLedgerStore, type LedgerPage, type LedgerPageQuery, type LedgerStoreShape } from './Ledger/LedgerStore.js';
export { LedgerStoreError } from './Ledger/LedgerStoreError.js';
export { purgeLedgerBefore, type LedgerPurged } from './Ledger/PurgeLedger.js';
export { RetentionRefused } from './Ledger/RetentionRefused.js';
export { acquireOrm } from './Config/AcquireOrm.js';
export { DatabaseConfig } from './Config/DatabaseConfig.js';
export { queryRows, type SqlParam } from './Config/QueryRows.js';
export { ensureSchema, migrate } from './Migrations/Migrate.js';
export { migrationsList } from './Migrations/index.js';
export { SkuSnapshot } from './Snapshots/SkuSnapshot.js';
