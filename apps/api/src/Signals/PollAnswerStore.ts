// The answers of polls in Postgres (`poll_answer`, libs/persistence): a batch in one statement, one row
// per (poll, question, respondent), the latest answer kept (`isLaterAnswer`, here in SQL), so the same
// batch sent twice, or batches arriving out of order, leave the same rows. The statement is atomic:
// a batch is stored whole or not at all.
import type { PollAnswer } from '@larder/domain';
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';

export interface AnswersWritten {
  /** Rows new to the table: a respondent's first answer to a question. */
  readonly stored: number;
  /** Rows whose answer a later one replaced (a respondent who changed their mind). */
  readonly changed: number;
}

// Rows are locked in key order (`order by`), so two batches sharing respondents never deadlock.
// `xmax = 0` tells an inserted row from an updated one. The ids' collation is "C": the tie-break on
// the answer id compares bytes, as `isLaterAnswer` does.
const recordSql = `
with written as (
  insert into poll_answer ("poll_id", "question_id", "respondent_id", "answer_id", "at", "received_at")
  select a."pollId", a."questionId", a."respondentId", a."answerId", a."at", ?::timestamptz
  from jsonb_to_recordset(?::jsonb) as a("pollId" text, "questionId" text, "respondentId" text, "answerId" text, "at" timestamptz)
  order by 1, 2, 3
  on conflict ("poll_id", "question_id", "respondent_id") do update
    set "answer_id" = excluded."answer_id", "at" = excluded."at", "received_at" = excluded."received_at"
    where (excluded."at", excluded."answer_id") > (poll_answer."at", poll_answer."answer_id")
  returning (xmax = 0) as "inserted"
)
select (count(*) filter (where "inserted"))::int as "stored", (count(*) filter (where not "inserted"))::int as "changed" from written`;

const decodeWritten = Schema.decodeUnknownSync(Schema.Tuple(Schema.Struct({ stored: Schema.Int, changed: Schema.Int })));

export interface PollAnswerStore {
  /** Stores answers unique per (poll, question, respondent) — `latestPerRespondent` makes them so. */
  readonly record: (answers: ReadonlyArray<PollAnswer>, receivedAt: Date) => Promise<AnswersWritten>;
}

export const makePollAnswerStore = (orm: MikroORM): PollAnswerStore => ({
  record: async (answers, receivedAt) => {
    const [written] = decodeWritten(await queryRows(orm, recordSql, [receivedAt.toISOString(), JSON.stringify(answers)]));
    return written;
  },
});
