// Postgres for the CLI (the snapshots the invariant check compares): the deployment's schema, opened
// the one way every Larder process opens it, closed when the scope closes.
import { acquireOrm, DatabaseConfig } from '@larder/persistence';
import { Effect } from 'effect';
import { CliError, describeError } from './CliErrors.js';

/** Reads DATABASE_URL and LARDER_DB_SCHEMA (a bad value fails the command like any configuration error). */
export const openPostgres = Effect.gen(function* () {
  const { databaseUrl, databaseSchema } = yield* DatabaseConfig.pipe(
    Effect.mapError((error) => new CliError({ message: `configuration: ${String(error)}` })),
  );
  return yield* acquireOrm(databaseUrl, databaseSchema).pipe(Effect.mapError((error) => new CliError({ message: describeError(error) })));
});
