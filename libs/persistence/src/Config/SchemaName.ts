// A Postgres schema name safe to interpolate into `search_path` and DDL: lowercase identifier, ≤ 63 bytes.
import { Schema } from 'effect';

export const SchemaName = Schema.String.pipe(
  Schema.pattern(/^[a-z_][a-z0-9_]{0,62}$/, { message: () => 'schema must match ^[a-z_][a-z0-9_]{0,62}$' }),
  Schema.brand('SchemaName'),
);
export type SchemaName = typeof SchemaName.Type;
