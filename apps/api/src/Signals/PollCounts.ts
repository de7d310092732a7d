// Demand counted from poll answers (GET /v1/signals/polls/counts): answers joined to the mappings at read
// time, so a mapping set or changed later counts the answers already stored. Per SKU, the respondents
// whose answer names it, per poll (a respondent counts once per poll, whatever the questions) and summed
// over polls; per poll, its answers and those no mapping names (stored, counted nowhere).
import type { PollId, Sku } from '@larder/domain';
import { queryRows } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';

/** Unmapped (question, answer) pairs listed per poll at most, most answered first. */
const UnmappedListed = 20;

const SkuPoll = Schema.Struct({ pollId: Schema.String, respondents: Schema.Int });

const PollSkuCount = Schema.Struct({
  sku: Schema.String,
  /** Σ over polls of the respondents whose answer names the SKU. */
  respondents: Schema.Int,
  polls: Schema.Array(SkuPoll),
}).annotations({ identifier: 'PollSkuCount' });

const UnmappedAnswer = Schema.Struct({ questionId: Schema.String, answerId: Schema.String, answers: Schema.Int });

const PollTally = Schema.Struct({
  pollId: Schema.String,
  /** Answers stored: one per (question, respondent). */
  answers: Schema.Int,
  respondents: Schema.Int,
  /** Answers whose (question, answer) the poll's mapping does not name: stored, counted for no SKU. */
  unmappedAnswers: Schema.Int,
  /** The most answered of them, at most 20. */
  unmapped: Schema.Array(UnmappedAnswer),
  /** When the poll's mapping was last set; null: never. */
  mappedAt: Schema.NullOr(Schema.String),
}).annotations({ identifier: 'PollTally' });

export const PollCountsAnswer = Schema.Struct({
  /** By SKU; with `?sku=`, that SKU alone, counted 0 when no answer names it. */
  skus: Schema.Array(PollSkuCount),
  /** By poll id; with `?pollId=`, that poll alone (none when it has no answers). */
  polls: Schema.Array(PollTally),
}).annotations({ identifier: 'PollCounts' });
export type PollCountsAnswer = typeof PollCountsAnswer.Type;

const mappedJoin = `poll_mapping_answer m on m."poll_id" = a."poll_id" and m."question_id" = a."question_id" and m."answer_id" = a."answer_id"`;
const pollFilter = `(?::text is null or a."poll_id" = ?::text)`;

const skuSql = `
select s."sku", a."poll_id" as "pollId", count(distinct a."respondent_id")::int as "respondents"
from poll_answer a
join ${mappedJoin}
cross join lateral unnest(m."skus") as s("sku")
where (?::text is null or s."sku" = ?::text) and ${pollFilter}
group by s."sku", a."poll_id"
order by s."sku", a."poll_id"`;

// The same count for the SKUs asked only (restock suggestions): one query, nothing for polls.
const votesSql = `
select s."sku", a."poll_id" as "pollId", count(distinct a."respondent_id")::int as "respondents"
from poll_answer a
join ${mappedJoin}
cross join lateral unnest(m."skus") as s("sku")
where s."sku" in (select jsonb_array_elements_text(?::jsonb))
group by s."sku", a."poll_id"`;

const pollSql = `
select a."poll_id" as "pollId", count(*)::int as "answers", count(distinct a."respondent_id")::int as "respondents",
  (count(*) filter (where m."poll_id" is null))::int as "unmappedAnswers",
  (select (extract(epoch from p."updated_at") * 1000)::bigint::text from poll_mapping p where p."poll_id" = a."poll_id") as "mappedAt"
from poll_answer a
left join ${mappedJoin}
where ${pollFilter}
group by a."poll_id"
order by a."poll_id"`;

const unmappedSql = `
select "pollId", "questionId", "answerId", "answers" from (
  select a."poll_id" as "pollId", a."question_id" as "questionId", a."answer_id" as "answerId", count(*)::int as "answers",
    row_number() over (partition by a."poll_id" order by count(*) desc, a."question_id", a."answer_id") as "rank"
  from poll_answer a
  left join ${mappedJoin}
  where m."poll_id" is null and ${pollFilter}
  group by a."poll_id", a."question_id", a."answer_id"
) u
where "rank" <= ${UnmappedListed}
order by "pollId", "rank"`;

const decodeSkuRows = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ sku: Schema.String, pollId: Schema.String, respondents: Schema.Int })));
const decodePollRows = Schema.decodeUnknownSync(
  Schema.Array(Schema.Struct({ pollId: Schema.String, answers: Schema.Int, respondents: Schema.Int, unmappedAnswers: Schema.Int, mappedAt: Schema.NullOr(Schema.NumberFromString) })),
);
const decodeUnmappedRows = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ pollId: Schema.String, ...UnmappedAnswer.fields })));

export interface PollCountsQuery {
  readonly sku?: Sku;
  readonly pollId?: PollId;
}

/** Per SKU asked, its respondents summed over the polls that map an answer to it (as `countPollSignals` counts them). */
export const pollVotesBySku = async (orm: MikroORM, skus: ReadonlyArray<string>): Promise<ReadonlyMap<string, number>> => {
  const votes = new Map<string, number>();
  if (skus.length === 0) return votes;
  for (const row of decodeSkuRows(await queryRows(orm, votesSql, [JSON.stringify(skus)]))) votes.set(row.sku, (votes.get(row.sku) ?? 0) + row.respondents);
  return votes;
};

export const countPollSignals = async (orm: MikroORM, query: PollCountsQuery): Promise<PollCountsAnswer> => {
  const sku = query.sku ?? null;
  const poll = query.pollId ?? null;
  const [skuRows, pollRows, unmappedRows] = await Promise.all([
    queryRows(orm, skuSql, [sku, sku, poll, poll]).then(decodeSkuRows),
    queryRows(orm, pollSql, [poll, poll]).then(decodePollRows),
    queryRows(orm, unmappedSql, [poll, poll]).then(decodeUnmappedRows),
  ]);
  const skus = new Map<string, { sku: string; respondents: number; polls: Array<typeof SkuPoll.Type> }>();
  if (query.sku !== undefined) skus.set(query.sku, { sku: query.sku, respondents: 0, polls: [] });
  for (const row of skuRows) {
    const entry = skus.get(row.sku) ?? { sku: row.sku, respondents: 0, polls: [] };
    entry.respondents += row.respondents;
    entry.polls.push({ pollId: row.pollId, respondents: row.respondents });
    skus.set(row.sku, entry);
  }
  const unmapped = new Map<string, Array<typeof UnmappedAnswer.Type>>();
  for (const { pollId, ...pair } of unmappedRows) {
    const listed = unmapped.get(pollId) ?? [];
    listed.push(pair);
    unmapped.set(pollId, listed);
  }
  return {
    skus: [...skus.values()],
    polls: pollRows.map((row) => ({
      ...row,
      unmapped: unmapped.get(row.pollId) ?? [],
      mappedAt: row.mappedAt === null ? null : new Date(row.mappedAt).toISOString(),
    })),
  };
};
