// The only deletion of audit-ledger rows: every row strictly before `cutoff`, and the lost-demand rows of the
// same time (same rule, same statement), refused (nothing deleted) when the cutoff is later than the
// retention policy allows at `now` (libs/domain Lots/Retention.ts).
import { earliestPurgeCutoff, purgeCutoffAllowed } from '@larder/domain';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Effect, Schema } from 'effect';
import { queryRows } from '../Config/QueryRows.js';
import { LedgerStoreError } from './LedgerStoreError.js';
import { RetentionRefused } from './RetentionRefused.js';

export interface LedgerPurged {
  readonly cutoff: number;
  /** Ledger rows deleted. */
  readonly deleted: number;
  /** `lost_demand` rows deleted. */
  readonly lostDemandDeleted: number;
}

const Deleted = Schema.Array(Schema.Struct({ deleted: Schema.Int, lostDemandDeleted: Schema.Int }));
const decodeDeleted = Schema.decodeUnknown(Deleted);

const purgeSql = `
with gone as (delete from ledger_entry where "at" < ?::timestamptz returning 1),
lost as (delete from lost_demand where "at" < ?::timestamptz returning 1)
select (select count(*)::int from gone) as "deleted", (select count(*)::int from lost) as "lostDemandDeleted"`;

/** Deletes the ledger rows made before `cutoff` (epoch ms) if retention allows it at `now` (epoch ms). */
export const purgeLedgerBefore = (orm: MikroORM, cutoff: number, now: number): Effect.Effect<LedgerPurged, RetentionRefused | LedgerStoreError> =>
  purgeCutoffAllowed(cutoff, now)
    ? Effect.tryPromise({
        try: () => queryRows(orm, purgeSql, [new Date(cutoff).toISOString(), new Date(cutoff).toISOString()]),
        catch: (error) => new LedgerStoreError({ operation: 'purge', detail: error instanceof Error ? error.message : String(error) }),
      }).pipe(
        Effect.flatMap((rows) => Effect.mapError(decodeDeleted(rows), (e) => new LedgerStoreError({ operation: 'purge', detail: `unexpected rows: ${e.message}` }))),
        Effect.map((rows) => ({ cutoff, deleted: rows[0]?.deleted ?? 0, lostDemandDeleted: rows[0]?.lostDemandDeleted ?? 0 })),
      )
    : Effect.fail(new RetentionRefused({ cutoff, latestAllowed: earliestPurgeCutoff(now) }));
