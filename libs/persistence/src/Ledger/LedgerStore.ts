// The audit ledger on Postgres (`ledger_entry`): `append` writes the batches' rows, and their `lost_demand` rows,
// in one statement with `on conflict do nothing`, so a redelivered batch is harmless; `page` reads one SKU newest first
// by keyset (`(seq, idx) < before`) on the (sku, seq desc, idx desc) index. Rows are decoded with Schema.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Context, Effect, Layer, Schema } from 'effect';
import { queryRows, type SqlParam } from '../Config/QueryRows.js';
import type { LedgerPosition } from './LedgerPosition.js';
import { LedgerRow } from './LedgerRow.js';
import { LedgerStoreError } from './LedgerStoreError.js';
import type { LostDemandRow } from './LostDemandRow.js';

export interface LedgerPageQuery {
  readonly sku: string;
  /** Entries per page (the caller bounds it). */
  readonly limit: number;
  /** Only entries strictly older than this position. */
  readonly before?: LedgerPosition;
}

export interface LedgerPage {
  readonly entries: ReadonlyArray<LedgerRow>;
  /** Where the next (older) page starts; null on the last page. */
  readonly next: LedgerPosition | null;
}

export interface LedgerStoreShape {
  /**
   * Inserts the rows that are not there yet, and the lost-demand rows of the same batches (one statement,
   * so both or neither); succeeds with how many ledger rows were new.
   */
  readonly append: (rows: ReadonlyArray<LedgerRow>, lostDemand?: ReadonlyArray<LostDemandRow>) => Effect.Effect<number, LedgerStoreError>;
  readonly page: (query: LedgerPageQuery) => Effect.Effect<LedgerPage, LedgerStoreError>;
}

const columns = `"seq", "idx", "sku", "location", "event_type", "command_id", "actor", "reason", "reference", "at", "before", "after", "quantity", "details"`;

// With lost demand: a data-modifying CTE, run in the same statement (and transaction) as the ledger insert.
const lostDemandCte = `
with lost as (
  insert into lost_demand ("seq", "location", "customer", "sku", "at", "units", "refusals")
  select "seq", "location", "customer", "sku", "at", "units", "refusals"
  from jsonb_to_recordset(?::jsonb) as d("seq" bigint, "location" text, "customer" text, "sku" text, "at" timestamptz, "units" int, "refusals" int)
  on conflict ("seq", "location", "customer") do nothing
)`;

const appendSql = `
insert into ledger_entry (${columns})
select ${columns}
from jsonb_to_recordset(?::jsonb) as r("seq" bigint, "idx" int, "sku" text, "location" text, "event_type" text,
  "command_id" text, "actor" text, "reason" text, "reference" text, "at" timestamptz, "before" jsonb,
  "after" jsonb, "quantity" int, "details" jsonb)
on conflict ("seq", "idx") do nothing
returning "idx"`;

// `order by` is qualified: a bare "seq" would sort by the select list's text column ("9" > "10").
const selectSql = (keyset: boolean) => `
select "seq"::text as "seq", "idx", "sku", "location", "event_type" as "eventType", "command_id" as "commandId",
  "actor", "reason", "reference", (extract(epoch from "at") * 1000)::bigint::text as "at", "before", "after",
  "quantity", "details"
from ledger_entry as l
where l."sku" = ?${keyset ? ` and (l."seq", l."idx") < (?, ?)` : ''}
order by l."seq" desc, l."idx" desc
limit ?`;

/** bigints are selected as text (pg would not parse them into numbers); each must be a safe integer. */
const BigintText = Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative());
const StoredRows = Schema.Array(Schema.Struct({ ...LedgerRow.fields, seq: BigintText, at: BigintText }));
const decodeStoredRows = Schema.decodeUnknown(StoredRows);
const Returned = Schema.Array(Schema.Struct({ idx: Schema.Int }));
const decodeReturned = Schema.decodeUnknown(Returned);

const lostRecordOf = (row: LostDemandRow) => ({ ...row, at: new Date(row.at).toISOString() });

const recordOf = (row: LedgerRow) => ({
  seq: row.seq,
  idx: row.idx,
  sku: row.sku,
  location: row.location,
  event_type: row.eventType,
  command_id: row.commandId,
  actor: row.actor,
  reason: row.reason,
  reference: row.reference,
  at: new Date(row.at).toISOString(),
  before: row.before,
  after: row.after,
  quantity: row.quantity,
  details: row.details,
});

export const makeLedgerStore = (orm: MikroORM): LedgerStoreShape => {
  const run = (operation: LedgerStoreError['operation'], sql: string, params: ReadonlyArray<SqlParam>) =>
    Effect.tryPromise({
      try: () => queryRows(orm, sql, params),
      catch: (error) => new LedgerStoreError({ operation, detail: error instanceof Error ? error.message : String(error) }),
    });
  const malformed = (operation: LedgerStoreError['operation']) => (error: { readonly message: string }) =>
    new LedgerStoreError({ operation, detail: `unexpected rows: ${error.message}` });

  return {
    append: (rows, lostDemand = []) => {
      if (rows.length === 0 && lostDemand.length === 0) return Effect.succeed(0);
      const entries = JSON.stringify(rows.map(recordOf));
      const statement =
        lostDemand.length === 0
          ? run('append', appendSql, [entries])
          : run('append', lostDemandCte + appendSql, [JSON.stringify(lostDemand.map(lostRecordOf)), entries]);
      return statement.pipe(
        Effect.flatMap((returned) => Effect.mapError(decodeReturned(returned), malformed('append'))),
        Effect.map((inserted) => inserted.length),
      );
    },
    page: ({ sku, limit, before }) =>
      run(
        'page',
        selectSql(before !== undefined),
        // One more than asked: its presence says whether there is a next page.
        before === undefined ? [sku, limit + 1] : [sku, before.seq, before.idx, limit + 1],
      ).pipe(
        Effect.flatMap((stored) => Effect.mapError(decodeStoredRows(stored), malformed('page'))),
        Effect.map((stored) => {
          const entries = stored.slice(0, limit);
          const last = entries.at(-1);
          return { entries, next: stored.length > limit && last !== undefined ? { seq: last.seq, idx: last.idx } : null };
        }),
      ),
  };
};

export class LedgerStore extends Context.Tag('larder/LedgerStore')<LedgerStore, LedgerStoreShape>() {
  static readonly layer = (orm: MikroORM) => Layer.succeed(LedgerStore, makeLedgerStore(orm));
}
