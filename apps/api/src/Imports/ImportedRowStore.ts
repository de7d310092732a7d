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

/** A row as the table holds it: `pending` rows were written before their command was sent. */
export interface StoredRow extends AppliedRow {
  readonly state: 'pending' | 'applied';
}

const StoredRows = Schema.Array(
  Schema.Struct({
    key: Schema.String,
    content: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
    commandId: Schema.String,
    actor: Schema.String,
    // Epoch ms as text: node-postgres' Date for timestamptz depends on the driver's type parsers.
    appliedAt: Schema.NumberFromString.pipe(Schema.compose(Schema.DateFromNumber)),
    state: Schema.Literal('pending', 'applied'),
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
select "key", "content", "command_id" as "commandId", "actor", (extract(epoch from "applied_at") * 1000)::bigint::text as "appliedAt", "state"
from imported_row
where "kind" = ? and "key" in (select jsonb_array_elements_text(?::jsonb))`;

const reserveSql = `
insert into imported_row ("kind", "key", "content", "command_id", "actor", "applied_at", "state")
select ?, r."key", r."content", r."command_id", r."actor", r."applied_at", 'pending'
from jsonb_to_recordset(?::jsonb) as r("key" text, "content" jsonb, "command_id" text, "actor" text, "applied_at" timestamptz)
on conflict ("kind", "key") do nothing
returning "key"`;

const markAppliedSql = `update imported_row set "state" = 'applied' where "kind" = ? and "key" in (select jsonb_array_elements_text(?::jsonb))`;

const inLedgerSql = `select distinct "command_id" as "commandId" from ledger_entry where "command_id" in (select jsonb_array_elements_text(?::jsonb))`;
const CommandIds = Schema.Array(Schema.Struct({ commandId: Schema.String }));
const decodeCommandIds = Schema.decodeUnknownSync(CommandIds);
const KeyRows = Schema.Array(Schema.Struct({ key: Schema.String }));
const decodeKeys = Schema.decodeUnknownSync(KeyRows);

const knownSql = `select "sku" from catalog_sku where "sku" in (select jsonb_array_elements_text(?::jsonb))`;

export const makeImportedRowStore = (orm: MikroORM, kind: string) => ({
  /** The rows among `keys` (pending or applied), by key. */
  lookup: async (keys: ReadonlyArray<string>): Promise<ReadonlyMap<string, StoredRow>> => {
    if (keys.length === 0) return new Map();
    const rows = decodeStored(await queryRows(orm, lookupSql, [kind, JSON.stringify(keys)]));
    return new Map(rows.map((r) => [r.key, r]));
  },
  /** Writes rows as pending before their commands are sent; the keys this call wrote (another upload may hold the rest). */
  reserve: async (rows: ReadonlyArray<AppliedRow>): Promise<ReadonlySet<string>> => {
    if (rows.length === 0) return new Set();
    const json = rows.map((r) => ({ key: r.key, content: r.content, command_id: r.commandId, actor: r.actor, applied_at: r.appliedAt.toISOString() }));
    return new Set(decodeKeys(await queryRows(orm, reserveSql, [kind, JSON.stringify(json)])).map((r) => r.key));
  },
  /** Marks rows applied: their commands are stored. */
  markApplied: async (keys: ReadonlyArray<string>): Promise<void> => {
    if (keys.length === 0) return;
    await queryRows(orm, markAppliedSql, [kind, JSON.stringify(keys)]);
  },
  /** The command ids among `commandIds` that the ledger has (the actor applied them). */
  inLedger: async (commandIds: ReadonlyArray<string>): Promise<ReadonlySet<string>> => {
    if (commandIds.length === 0) return new Set();
    return new Set(decodeCommandIds(await queryRows(orm, inLedgerSql, [JSON.stringify(commandIds)])).map((r) => r.commandId));
  },
  /** The SKUs among `skus` that have a catalogue entry. */
  knownSkus: async (skus: ReadonlyArray<string>): Promise<ReadonlySet<string>> => {
    if (skus.length === 0) return new Set();
    return new Set(decodeSkus(await queryRows(orm, knownSql, [JSON.stringify([...new Set(skus)])])).map((r) => r.sku));
  },
});

export type ImportedRowStore = ReturnType<typeof makeImportedRowStore>;
