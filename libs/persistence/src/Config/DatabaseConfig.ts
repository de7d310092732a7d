// The Postgres settings every Larder process reads from its environment.
import { Config } from 'effect';
import { DEFAULT_DATABASE_URL } from './PostgresUrl.js';

export const DatabaseConfig = Config.all({
  databaseUrl: Config.string('DATABASE_URL').pipe(Config.withDefault(DEFAULT_DATABASE_URL)),
  databaseSchema: Config.string('LARDER_DB_SCHEMA').pipe(Config.withDefault('larder')),
});
