// Lost demand as restock suggestions read it (DESIGN.md §10 "Demand"): Postgres `lost_demand` (holds refused
// for want of stock, summed per journal batch and location by the ledger projector) summed per SKU,
// location and UTC day of the window in one query; and the window's total shown beside a suggestion.
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';

const Total = Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative());

export const LostDemandDayRow = Schema.Struct({
  sku: Schema.String,
  location: Schema.String,
  /** The UTC calendar day, YYYY-MM-DD. */
  date: Schema.String,
  units: Total,
  refusals: Total,
});
export type LostDemandDayRow = typeof LostDemandDayRow.Type;
const decodeRows = Schema.decodeUnknownSync(Schema.Array(LostDemandDayRow));

// Walks the (sku, at) index per SKU. Per day, a named customer counts once, with their largest ask of the
// day (retrying a refused hold is the same want); holds naming no customer count each. Sums as text,
// decoded as safe integers.
const sql = `
select "sku", "location", "date", sum("units")::text as "units", sum("refusals")::text as "refusals"
from (
  select d."sku", d."location", to_char(d."at" at time zone 'UTC', 'YYYY-MM-DD') as "date", d."customer",
    case when d."customer" = '' then sum(d."units") else max(d."units") end as "units", sum(d."refusals") as "refusals"
  from lost_demand as d
  where d."sku" in (select jsonb_array_elements_text(?::jsonb)) and (?::text is null or d."location" = ?::text)
    and d."at" >= to_timestamp(?::double precision / 1000)
  group by 1, 2, 3, 4
) as per_customer
group by 1, 2, 3
order by 1, 2, 3`;

export interface LostDemandQuery {
  readonly skus: ReadonlyArray<string>;
  readonly location: string | undefined;
  /** Epoch ms of the window's first midnight. */
  readonly from: number;
}

/** The window's lost demand per SKU, location and day, ordered by them. */
export const readLostDemand = async (orm: MikroORM, query: LostDemandQuery): Promise<ReadonlyArray<LostDemandDayRow>> => {
  if (query.skus.length === 0) return [];
  const location = query.location ?? null;
  return decodeRows(await queryRows(orm, sql, [JSON.stringify(query.skus), location, location, query.from]));
};

/** Rows by SKU, then location, each list in the rows' order (the ledger's and lost demand's alike). */
export const groupBySkuLocation = <R extends { readonly sku: string; readonly location: string }>(rows: ReadonlyArray<R>): ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<R>>> => {
  const bySku = new Map<string, Map<string, Array<R>>>();
  for (const row of rows) {
    const locations = bySku.get(row.sku) ?? new Map<string, Array<R>>();
    const list = locations.get(row.location) ?? [];
    list.push(row);
    locations.set(row.location, list);
    bySku.set(row.sku, locations);
  }
  return bySku;
};

export const LostDemandSignal = Schema.Struct({
  /** Units asked by holds refused for want of stock over the window (in a drop or not): per day, a named customer's largest ask once, holds naming none each. */
  units: Schema.Int,
  /** Holds refused for want of stock over the window. */
  refusals: Schema.Int,
  /** Days of the window with at least one such refusal. */
  days: Schema.Int,
}).annotations({ identifier: 'LostDemandSignal' });
export type LostDemandSignal = typeof LostDemandSignal.Type;

/** The units lost per day (YYYY-MM-DD), for `demandDaysOf`. */
export const lostUnitsByDate = (rows: ReadonlyArray<LostDemandDayRow>): ReadonlyMap<string, number> => new Map(rows.map((r) => [r.date, r.units]));

/** The window's lost demand at one SKU and location: only the days of the window (`dates`) count. */
export const lostDemandSignalOf = (rows: ReadonlyArray<LostDemandDayRow>, dates: ReadonlySet<string>): LostDemandSignal => {
  const inWindow = rows.filter((r) => dates.has(r.date) && r.units > 0);
  return {
    units: inWindow.reduce((n, r) => n + r.units, 0),
    refusals: inWindow.reduce((n, r) => n + r.refusals, 0),
    days: inWindow.length,
  };
};
