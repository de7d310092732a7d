// Mock recalls (recall drills, BRC 3.9): each `mode=mock` trace is recorded in Postgres `recall_drill`
// — who ran it, when, the selector, the lots found, lines, units, the books' difference and the time it
// took — and listed newest first, so an auditor sees how fast a full trace runs.
import { randomUUID } from 'node:crypto';
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { RecallSelectorAnswer } from './RecallSelector.js';

export const RecallDrill = Schema.Struct({
  id: Schema.String,
  /** When it ran (ISO 8601). */
  ranAt: Schema.String,
  actor: Schema.String,
  selector: RecallSelectorAnswer,
  lots: Schema.Array(Schema.Struct({ sku: Schema.String, lot: Schema.String })),
  lines: Schema.Int,
  units: Schema.Int,
  /** Σ of the lots' mass-balance differences by absolute value (0: every lot's books closed). */
  difference: Schema.Int,
  tookMs: Schema.Number,
}).annotations({ identifier: 'RecallDrill' });
export type RecallDrill = typeof RecallDrill.Type;

const StoredDrill = Schema.Struct({ ...RecallDrill.fields, ranAt: Schema.NumberFromString.pipe(Schema.int()) });
const decodeStored = Schema.decodeUnknownSync(Schema.Array(StoredDrill));

const insertSql = `
insert into recall_drill ("id", "ran_at", "actor", "selector", "lots", "lines", "units", "difference", "took_ms")
values (?, ?::timestamptz, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)`;

const listSql = `
select "id", (extract(epoch from "ran_at") * 1000)::bigint::text as "ranAt", "actor", "selector", "lots", "lines", "units", "difference", "took_ms" as "tookMs"
from recall_drill order by "ran_at" desc, "id" limit ?`;

export interface DrillStore {
  readonly record: (drill: Omit<RecallDrill, 'id'>) => Promise<RecallDrill>;
  readonly list: (limit: number) => Promise<ReadonlyArray<RecallDrill>>;
}

export const makeDrillStore = (orm: MikroORM): DrillStore => ({
  record: async (drill) => {
    const id = randomUUID();
    await queryRows(orm, insertSql, [id, drill.ranAt, drill.actor, JSON.stringify(drill.selector), JSON.stringify(drill.lots), drill.lines, drill.units, drill.difference, drill.tookMs]);
    return { id, ...drill };
  },
  list: async (limit) => decodeStored(await queryRows(orm, listSql, [limit])).map((d) => ({ ...d, ranAt: new Date(d.ranAt).toISOString() })),
});
