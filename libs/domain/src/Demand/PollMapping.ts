// A poll's mapping of answers to SKUs (DESIGN.md §10 "Demand", PUT /v1/signals/polls/{pollId}/mapping):
// `{answers: {<questionId>: {<answerId>: [SKU, ...]}}}`. An answer may name several SKUs (a flavour sold
// in sizes), or none (a known answer that is no demand: it no longer shows as unmapped). Pure.
import { Either, Schema } from 'effect';
import { Sku } from '../Ids.js';
import { AnswerId, QuestionId } from './PollAnswer.js';

/** Answers one mapping names at most (over all its questions). */
export const MaxMappedAnswers = 1_000;
/** SKUs one answer names at most. */
export const MaxSkusPerAnswer = 50;

export const PollMapping = Schema.Struct({
  answers: Schema.Record({
    key: QuestionId,
    value: Schema.Record({
      key: AnswerId,
      value: Schema.Array(Sku).pipe(Schema.maxItems(MaxSkusPerAnswer, { message: () => `an answer names at most ${MaxSkusPerAnswer} SKUs` })),
    }),
  }),
}).annotations({ identifier: 'PollMapping' });
export type PollMapping = typeof PollMapping.Type;

/** One mapped answer, as it is stored: a row per (question, answer). */
export interface MappedAnswer {
  readonly questionId: QuestionId;
  readonly answerId: AnswerId;
  /** Each SKU once, in the order first given; empty: mapped to no SKU. */
  readonly skus: ReadonlyArray<Sku>;
}

export type PollMappingProblem = { readonly _tag: 'TooManyMappedAnswers'; readonly count: number };

export const describePollMappingProblem = (p: PollMappingProblem): string =>
  `a mapping names at most ${MaxMappedAnswers} answers; this one names ${p.count}`;

/** The rows a mapping stands for, by question then answer as given; a SKU listed twice for an answer counts once. */
export const expandPollMapping = (mapping: PollMapping): Either.Either<ReadonlyArray<MappedAnswer>, PollMappingProblem> => {
  const rows: Array<MappedAnswer> = [];
  for (const [questionId, answers] of Object.entries(mapping.answers)) {
    for (const [answerId, skus] of Object.entries(answers)) {
      rows.push({ questionId: QuestionId.make(questionId), answerId: AnswerId.make(answerId), skus: [...new Set(skus)] });
    }
  }
  return rows.length > MaxMappedAnswers ? Either.left({ _tag: 'TooManyMappedAnswers', count: rows.length }) : Either.right(rows);
};

/** The mapping stored rows stand for (the inverse of `expandPollMapping`). */
export const collectPollMapping = (rows: ReadonlyArray<MappedAnswer>): PollMapping => {
  const answers: Record<string, Record<string, ReadonlyArray<Sku>>> = {};
  for (const row of rows) (answers[row.questionId] ??= {})[row.answerId] = row.skus;
  return { answers };
};
