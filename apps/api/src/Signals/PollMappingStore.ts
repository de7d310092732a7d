// Polls' mappings of answers to SKUs in Postgres (`poll_mapping` and `poll_mapping_answer`,
// libs/persistence). A PUT replaces a poll's mapping in one transaction that first locks the poll's
// `poll_mapping` row, so two PUTs of one poll apply one after the other, never mixed.
import { AnswerId, QuestionId, Sku, type MappedAnswer, type PollId } from '@larder/domain';
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';

export interface StoredPollMapping {
  readonly pollId: PollId;
  readonly answers: ReadonlyArray<MappedAnswer>;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

const headerSql = `
insert into poll_mapping ("poll_id", "updated_at", "updated_by") values (?, ?::timestamptz, ?)
on conflict ("poll_id") do update set "updated_at" = excluded."updated_at", "updated_by" = excluded."updated_by"
returning (xmax = 0) as "created"`;

const clearSql = `delete from poll_mapping_answer where "poll_id" = ?`;

const insertSql = `
insert into poll_mapping_answer ("poll_id", "question_id", "answer_id", "skus")
select ?, m."questionId", m."answerId", m."skus"
from jsonb_to_recordset(?::jsonb) as m("questionId" text, "answerId" text, "skus" text[])`;

const readSql = `
select (extract(epoch from p."updated_at") * 1000)::bigint::text as "updatedAt", p."updated_by" as "updatedBy",
  coalesce((select jsonb_agg(jsonb_build_object('questionId', m."question_id", 'answerId', m."answer_id", 'skus', to_jsonb(m."skus")) order by m."question_id", m."answer_id")
            from poll_mapping_answer m where m."poll_id" = p."poll_id"), '[]'::jsonb) as "answers"
from poll_mapping p where p."poll_id" = ?`;

const decodeCreated = Schema.decodeUnknownSync(Schema.Tuple(Schema.Struct({ created: Schema.Boolean })));
const decodeRead = Schema.decodeUnknownSync(
  Schema.Array(
    Schema.Struct({
      // Epoch ms as text: node-postgres' Date for timestamptz depends on the driver's type parsers.
      updatedAt: Schema.NumberFromString.pipe(Schema.compose(Schema.DateFromNumber)),
      updatedBy: Schema.String,
      answers: Schema.Array(Schema.Struct({ questionId: QuestionId, answerId: AnswerId, skus: Schema.Array(Sku) })),
    }),
  ),
);

export interface PollMappingStore {
  /** Replaces the poll's mapping; true when the poll had none. */
  readonly replace: (mapping: StoredPollMapping) => Promise<boolean>;
  readonly read: (pollId: PollId) => Promise<StoredPollMapping | undefined>;
}

export const makePollMappingStore = (orm: MikroORM): PollMappingStore => ({
  replace: async ({ pollId, answers, updatedAt, updatedBy }) =>
    orm.em.getConnection().getKnex().transaction(async (trx) => {
      const header: { readonly rows: unknown } = await trx.raw(headerSql, [pollId, updatedAt.toISOString(), updatedBy]);
      const [{ created }] = decodeCreated(header.rows);
      await trx.raw(clearSql, [pollId]);
      if (answers.length > 0) await trx.raw(insertSql, [pollId, JSON.stringify(answers)]);
      return created;
    }),
  read: async (pollId) => {
    const [row] = decodeRead(await queryRows(orm, readSql, [pollId]));
    return row === undefined ? undefined : { pollId, ...row };
  },
});
