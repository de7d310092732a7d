// `larder ledger purge --before YYYY-MM-DD`: deletes the audit-ledger rows made before that day (00:00
// UTC). The retention rule (DESIGN.md §10, 9 CFR 320.3: kept 2 years after the end of the year of the
// transaction) is checked first, before Postgres is opened: a cutoff that would delete a younger record
// is refused with the latest day allowed, and nothing is deleted.
import { CalendarDate, earliestPurgeCutoff, purgeCutoffAllowed } from '@larder/domain';
import { purgeLedgerBefore } from '@larder/persistence';
import { Clock, Effect, Either, Schema } from 'effect';
import { output } from './CliOutput.js';
import { CliError, UsageError } from './CliErrors.js';
import type { CommandRun } from './Command.js';
import { openPostgres } from './OpenPostgres.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const refusal = (cutoff: number, now: number) =>
  `refused: the ledger keeps every record 2 years after the end of the year it was made in; deleting before ${day(cutoff)} would delete records still kept. The latest --before allowed today (${day(now)}) is ${day(earliestPurgeCutoff(now))}; nothing was deleted`;

export const purgeLedger: CommandRun = ({ args }) =>
  Effect.gen(function* () {
    if (args.positionals[0] !== 'purge') return yield* new UsageError({ message: `ledger takes "purge", not "${args.positionals[0] ?? ''}"` });
    if (args.before === undefined) return yield* new UsageError({ message: 'ledger purge needs --before YYYY-MM-DD (rows made before that day, UTC, are deleted)' });
    const date = Schema.decodeUnknownEither(CalendarDate)(args.before);
    if (Either.isLeft(date)) return yield* new UsageError({ message: `--before takes a day YYYY-MM-DD, not "${args.before}"` });
    const cutoff = Date.parse(`${date.right}T00:00:00Z`);
    const now = yield* Clock.currentTimeMillis;
    if (!purgeCutoffAllowed(cutoff, now)) return yield* new CliError({ message: refusal(cutoff, now) });
    const orm = yield* openPostgres;
    const purged = yield* purgeLedgerBefore(orm, cutoff, now).pipe(
      Effect.mapError((error) => new CliError({ message: error._tag === 'RetentionRefused' ? refusal(cutoff, now) : error.message })),
    );
    return output([`deleted ${purged.deleted} ledger row(s) made before ${day(cutoff)} (UTC)`], { before: day(cutoff), deleted: purged.deleted });
  });
