// Specification of one poll answer (DESIGN.md §10 "Demand"): the ids a poll tool may send, the time of
// the answer in any ISO 8601 zone decoded to UTC, and which of two answers of a respondent is kept.
import { describe, expect, it } from '@effect/vitest';
import { Either, Schema } from 'effect';
import { AnswerTime, isLaterAnswer, parseInstant, PollAnswer, PollId } from '../../src/index.js';

const decode = Schema.decodeUnknownEither(PollAnswer, { onExcessProperty: 'error' });
const answer = (overrides: Record<string, unknown> = {}) => ({
  pollId: 'poll-2026-flavours',
  questionId: 'q1',
  answerId: 'a-ghost-pepper',
  respondentId: 'resp-1',
  at: '2026-12-20T09:30:00Z',
  ...overrides,
});
const decoded = (overrides: Record<string, unknown> = {}) => Either.getOrThrow(decode(answer(overrides)));

describe('given ids of a poll tool', () => {
  it.each(['p1', 'entry.1234567', 'a1b2C3-d4', 'user@example.com', 'q:1', 'x+y=z', 'A'.repeat(128)])('takes %s', (id) => {
    expect(Schema.is(PollId)(id)).toBe(true);
  });

  it.each(['', ' p1', 'p 1', '.hidden', '-p', 'p/1', 'p?1', 'ß', 'A'.repeat(129)])('refuses %j', (id) => {
    expect(Schema.is(PollId)(id)).toBe(false);
  });
});

describe('given the time of an answer', () => {
  it.each([
    ['2026-12-20T09:30:00Z', '2026-12-20T09:30:00.000Z'],
    ['2026-12-20T09:30Z', '2026-12-20T09:30:00.000Z'],
    ['2026-12-20T10:30:00+01:00', '2026-12-20T09:30:00.000Z'],
    ['2026-12-20T04:00:00.123456-05:30', '2026-12-20T09:30:00.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('decodes %s to %s', (text, utc) => {
    expect(Schema.decodeUnknownSync(AnswerTime)(text)).toBe(utc);
  });

  it.each(['2026-12-20', '2026-12-20T09:30:00', '2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-12-20T24:00:00Z', 'yesterday', '1766223000000'])(
    'refuses %s (no zone, no such day or time, not ISO 8601)',
    (text) => {
      expect(parseInstant(text)).toBeUndefined();
      expect(Either.isLeft(decode(answer({ at: text })))).toBe(true);
    },
  );
});

describe('given an answer with a field missing, unknown or not a string', () => {
  it('refuses it', () => {
    const { respondentId: _, ...withoutRespondent } = answer();
    expect(Either.isLeft(decode(withoutRespondent))).toBe(true);
    expect(Either.isLeft(decode(answer({ score: 5 })))).toBe(true);
    expect(Either.isLeft(decode(answer({ answerId: 7 })))).toBe(true);
  });
});

describe('given two answers of one respondent to one question', () => {
  it('keeps the later one, whatever the order they are compared in', () => {
    const first = decoded({ answerId: 'a-teriyaki', at: '2026-12-20T09:00:00Z' });
    const changed = decoded({ answerId: 'a-original', at: '2026-12-20T10:00:00+00:30' });
    expect(isLaterAnswer(changed, first)).toBe(true);
    expect(isLaterAnswer(first, changed)).toBe(false);
  });

  it('on the same instant keeps the greater answer id, so arrival order never decides', () => {
    const a = decoded({ answerId: 'a-original' });
    const b = decoded({ answerId: 'a-teriyaki' });
    expect(isLaterAnswer(b, a)).toBe(true);
    expect(isLaterAnswer(a, b)).toBe(false);
  });

  it('does not replace an answer by itself', () => {
    expect(isLaterAnswer(decoded(), decoded())).toBe(false);
  });
});
