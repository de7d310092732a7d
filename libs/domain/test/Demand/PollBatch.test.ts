// Specification of the body of POST /v1/signals/polls (DESIGN.md §10 "Demand"): one answer or a batch
// of up to 5,000, refused whole at the first bad answer (named by its index), and a respondent's answer
// to a question kept once per batch, the latest.
import { describe, expect, it } from '@effect/vitest';
import { Either } from 'effect';
import { decodePollBatch, describePollBatchProblem, latestPerRespondent, MaxPollBatch, type PollAnswer } from '../../src/index.js';

const raw = (i: number, overrides: Record<string, unknown> = {}) => ({
  pollId: 'poll-1',
  questionId: 'flavour',
  answerId: i % 2 === 0 ? 'ghost-pepper' : 'teriyaki',
  respondentId: `r-${i}`,
  at: '2026-12-20T09:30:00Z',
  ...overrides,
});
const batch = (n: number) => Array.from({ length: n }, (_, i) => raw(i));
const answersOf = (input: unknown): ReadonlyArray<PollAnswer> => Either.getOrThrow(decodePollBatch(input));
const problemOf = (input: unknown) => Either.getOrThrowWith(Either.flip(decodePollBatch(input)), () => new Error('expected a refusal'));

describe('given one answer', () => {
  it('takes it as a batch of one', () => {
    expect(answersOf(raw(0))).toEqual([{ ...raw(0), at: '2026-12-20T09:30:00.000Z' }]);
  });

  it('refuses it, as answer 0, when a field is bad', () => {
    expect(problemOf(raw(0, { at: 'soon' }))).toMatchObject({ _tag: 'BadAnswer', index: 0, issues: [{ path: 'at' }] });
  });
});

describe('given a batch export {answers: [...]}', () => {
  it('takes every answer, in order', () => {
    const answers = answersOf({ answers: batch(MaxPollBatch) });
    expect(answers).toHaveLength(MaxPollBatch);
    expect(answers[4_999]?.respondentId).toBe('r-4999');
  });

  it('refuses the whole batch at the first bad answer, naming its index and field', () => {
    const answers = batch(10);
    answers[3] = raw(3, { respondentId: 'has space' });
    answers[7] = raw(7, { at: 'later' });
    const problem = problemOf({ answers });
    expect(problem).toMatchObject({ _tag: 'BadAnswer', index: 3, issues: [{ path: 'respondentId' }] });
    expect(describePollBatchProblem(problem)).toMatch(/^answer 3 is not valid: respondentId: a respondent id is 1–128 characters/);
  });

  it('refuses an answer with a field of its own', () => {
    expect(problemOf({ answers: [raw(0), { ...raw(1), comment: 'spicy please' }] })).toMatchObject({ _tag: 'BadAnswer', index: 1, issues: [{ path: 'comment' }] });
  });

  it('refuses an empty batch and one of more than 5,000', () => {
    expect(problemOf({ answers: [] })).toEqual({ _tag: 'NoAnswers' });
    expect(problemOf({ answers: batch(MaxPollBatch + 1) })).toEqual({ _tag: 'TooManyAnswers', count: 5_001 });
  });
});

describe('given a body that is neither', () => {
  it.each([[null], [[raw(0)]], ['answers'], [{ answers: raw(0) }], [{ answers: [raw(0)], pollId: 'poll-1' }]])('refuses %j as not answers', (input) => {
    expect(problemOf(input)).toEqual({ _tag: 'NotAnswers' });
  });
});

describe('given a batch where a respondent answers a question twice', () => {
  const answers = answersOf({
    answers: [
      raw(1, { answerId: 'teriyaki', at: '2026-12-20T09:00:00Z' }),
      raw(2),
      raw(1, { answerId: 'original', at: '2026-12-20T11:00:00Z' }),
      raw(1, { answerId: 'sweet-chili', at: '2026-12-20T10:00:00Z' }),
      raw(1, { questionId: 'size', answerId: '100g' }),
    ],
  });

  it('keeps the latest answer per (poll, question, respondent), where that key first appeared', () => {
    const { kept, superseded } = latestPerRespondent(answers);
    expect(kept.map((a) => [a.respondentId, a.questionId, a.answerId])).toEqual([
      ['r-1', 'flavour', 'original'],
      ['r-2', 'flavour', 'ghost-pepper'],
      ['r-1', 'size', '100g'],
    ]);
    expect(superseded).toBe(2);
  });

  it('keeps the same answers whatever their order', () => {
    const reversed = latestPerRespondent([...answers].reverse()).kept;
    const key = (a: PollAnswer) => `${a.respondentId}/${a.questionId}`;
    expect(new Map(reversed.map((a) => [key(a), a]))).toEqual(new Map(latestPerRespondent(answers).kept.map((a) => [key(a), a])));
  });
});

describe('given the same respondent id in two polls', () => {
  it('keeps both answers: a respondent is one per poll', () => {
    const answers = answersOf({ answers: [raw(1), raw(1, { pollId: 'poll-2' })] });
    expect(latestPerRespondent(answers)).toMatchObject({ superseded: 0, kept: [{ pollId: 'poll-1' }, { pollId: 'poll-2' }] });
  });
});
