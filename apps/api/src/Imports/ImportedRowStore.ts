// The applied import rows in Postgres (`imported_row`, libs/persistence) and the catalogue SKUs a batch
// names: one statement per batch each way, parameters as one JSON array (knex would expand a JS array).
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ParseResult, Schema } from 'effect';

export interface AppliedRow {
  readonly key: string;
  readonly content: Readonly<Record<string, unknown>>;
  readonly commandId: string;
  readonly actor: string;
  readonly appliedAt: Date;
}

const StoredRows = Schema.Array(
  Schema.Struct({
    key: Schema.String,
    content: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
    commandId: Schema.String,
    actor: Schema.String,
    // Epoch ms as text: node-postgres' Date for timestamptz depends on the driver's type parsers.
    appliedAt: Schema.NumberFromString.pipe(Schema.compose(Schema.DateFromNumber)),
  }),
);
const decodeStored = (rows: unknown) => {
  const decoded = Schema.decodeUnknownEither(StoredRows)(rows);
  if (decoded._tag === 'Right') return decoded.right;
  throw new Error(`imported_row rows did not decode: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left).slice(0, 300)}`);
};
const SkuRows = Schema.Array(Schema.Struct({ sku: Schema.String }));
const decodeSkus = Schema.decodeUnknownSync(SkuRows);

const lookupSql = `
select "key", "content", "command_id" as "commandId", "actor", (extract(epoch from "applied_at") * 1000)::bigint::text as "appliedAt"
from imported_row
where "kind" = ? and "key" in (select jsonb_array_elements_text(?::jsonb))`;

const recordSql = `
insert into imported_row ("kind", "key", "content", "command_id", "actor", "applied_at")
select ?, r."key", r."content", r."command_id", r."actor", r."applied_at"
from jsonb_to_recordset(?::jsonb) as r("key" text, "content" jsonb, "command_id" text, "actor" text, "applied_at" timestamptz)
on conflict ("kind", "key") do nothing`;

const knownSql = `select "sku" from catalog_sku where "sku" in (select jsonb_array_elements_text(?::jsonb))`;

export const makeImportedRowStore = (orm: MikroORM, kind: string) => ({
  /** The applied rows among `keys`, by key. */
  lookup: async (keys: ReadonlyArray<string>): Promise<ReadonlyMap<string, AppliedRow>> => {
    if (keys.length === 0) return new Map();
    const rows = decodeStored(await queryRows(orm, lookupSql, [kind, JSON.stringify(keys)]));
    return new Map(rows.map((r) => [r.key, r]));
  },
  /** Remembers rows as applied; a key already there (a concurrent upload of the same row) is kept as it was. */
  record: async (rows: ReadonlyArray<AppliedRow>): Promise<void> => {
    if (rows.length === 0) return;
    const json = rows.map((r) => ({ key: r.key, content: r.content, command_id: r.commandId, actor: r.actor, applied_at: r.appliedAt.toISOString() }));
    await queryRows(orm, recordSql, [kind, JSON.stringify(json)]);
  },
  /** The SKUs among `skus` that have a catalogue entry. */
  knownSkus: async (skus: ReadonlyArray<string>): Promise<ReadonlySet<string>> => {
    if (skus.length === 0) return new Set();
    return new Set(decodeSkus(await queryRows(orm, knownSql, [JSON.stringify([...new Set(skus)])])).map((r) => r.sku));
  },
});

export type ImportedRowStore = ReturnType<typeof makeImportedRowStore>;
