// The ledger (Postgres `ledger_entry`) as restock suggestions read it: in one query, for the SKUs asked
// (and one location, if asked), the last entry before the window (the level carried in) and every entry
// in it, oldest first per (SKU, location): its type, units, time and after-levels. Rows are decoded.
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';

export const DemandLedgerRow = Schema.Struct({
  sku: Schema.String,
  location: Schema.String,
  eventType: Schema.String,
  quantity: Schema.NullOr(Schema.Int),
  /** Epoch ms. */
  at: Schema.NumberFromString.pipe(Schema.int()),
  onHand: Schema.Int,
  reserved: Schema.Int,
  safetyStock: Schema.Int,
  allocated: Schema.Int,
});
export type DemandLedgerRow = typeof DemandLedgerRow.Type;
const decodeRows = Schema.decodeUnknownSync(Schema.Array(DemandLedgerRow));

const columns = `l."sku", l."location", l."event_type" as "eventType", l."quantity", l."seq", l."idx",
  (extract(epoch from l."at") * 1000)::bigint::text as "at",
  (l."after"->>'onHand')::int as "onHand", (l."after"->>'reserved')::int as "reserved",
  (l."after"->>'safetyStock')::int as "safetyStock", coalesce((l."after"->>'allocated')::int, 0) as "allocated"`;
const scope = `l."sku" in (select jsonb_array_elements_text(?::jsonb)) and (?::text is null or l."location" = ?::text)`;

// Both halves walk the (sku, seq desc, idx desc) index per SKU.
const sql = `
select "sku", "location", "eventType", "quantity", "at", "onHand", "reserved", "safetyStock", "allocated" from (
  (select distinct on (l."sku", l."location") ${columns}
   from ledger_entry as l where ${scope} and l."at" < to_timestamp(?::double precision / 1000)
   order by l."sku", l."location", l."seq" desc, l."idx" desc)
  union all
  (select ${columns} from ledger_entry as l where ${scope} and l."at" >= to_timestamp(?::double precision / 1000))
) as e
order by "sku", "location", "seq", "idx"`;

export interface DemandLedgerQuery {
  readonly skus: ReadonlyArray<string>;
  readonly location: string | undefined;
  /** Epoch ms of the window's first midnight. */
  readonly from: number;
}

/** The carried-in entry and the window's entries, ordered by SKU, location, then journal order. */
export const readDemandLedger = async (orm: MikroORM, query: DemandLedgerQuery): Promise<ReadonlyArray<DemandLedgerRow>> => {
  if (query.skus.length === 0) return [];
  const skus = JSON.stringify(query.skus);
  const location = query.location ?? null;
  return decodeRows(await queryRows(orm, sql, [skus, location, location, query.from, skus, location, location, query.from]));
};
