// One answer of a poll or survey (DESIGN.md §10 "Demand", POST /v1/signals/polls): which poll, question
// and answer, who answered and when. Vendor-neutral: every id is the poll tool's own, taken as opaque
// text of a safe set. Pure.
import { ParseResult, Schema } from 'effect';

/** Letters, digits and `_ . : @ + = -`, starting with a letter or digit; 1–128 characters. */
export const PollIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:@+=-]{0,127}$/;

const pollToolId = <B extends string>(what: string, brand: B) =>
  Schema.String.pipe(
    Schema.pattern(PollIdPattern, {
      message: () => `${what} is 1–128 characters of letters, digits, "_", ".", ":", "@", "+", "=" or "-", starting with a letter or digit`,
    }),
    Schema.brand(brand),
  );

export const PollId = pollToolId('a poll id', 'PollId');
export type PollId = typeof PollId.Type;
export const QuestionId = pollToolId('a question id', 'QuestionId');
export type QuestionId = typeof QuestionId.Type;
export const AnswerId = pollToolId('an answer id', 'AnswerId');
export type AnswerId = typeof AnswerId.Type;
export const RespondentId = pollToolId('a respondent id', 'RespondentId');
export type RespondentId = typeof RespondentId.Type;

const InstantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch ms of an ISO 8601 date-time with a zone (`Z` or `±hh:mm`; seconds and fraction optional, the
 * fraction cut to ms), or undefined when it is not one or names a day or time that does not exist.
 */
export const parseInstant = (text: string): number | undefined => {
  const m = InstantPattern.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const zone = m[8] ?? 'Z';
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) return undefined;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 April over to 1 May: a day that does not exist comes back as another one.
  if (new Date(local).getUTCDate() !== day) return undefined;
  if (zone === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [zoneHours, zoneMinutes] = zone.slice(1).split(':').map(Number);
  if (zoneHours === undefined || zoneMinutes === undefined || zoneHours > 23 || zoneMinutes > 59) return undefined;
  return local - sign * (zoneHours * 60 + zoneMinutes) * 60_000;
};

/** When the respondent answered: any ISO 8601 date-time with a zone, decoded to UTC with ms (`2026-12-20T09:30:00.000Z`). */
export const AnswerTime = Schema.transformOrFail(Schema.String, Schema.String, {
  strict: true,
  decode: (text, _, ast) => {
    const at = parseInstant(text);
    return at === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, text, 'an ISO 8601 date-time with a zone, e.g. 2026-12-20T09:30:00Z'))
      : ParseResult.succeed(new Date(at).toISOString());
  },
  encode: ParseResult.succeed,
}).annotations({ jsonSchema: { type: 'string', format: 'date-time' } });

export const PollAnswer = Schema.Struct({
  pollId: PollId,
  questionId: QuestionId,
  answerId: AnswerId,
  respondentId: RespondentId,
  at: AnswerTime,
}).annotations({ identifier: 'PollAnswer' });
export type PollAnswer = typeof PollAnswer.Type;

/**
 * Whether `a` replaces `b` as a respondent's answer to a question: the later `at` wins, and on the same
 * instant the greater answer id, so the answer kept never depends on the order deliveries arrive in.
 */
export const isLaterAnswer = (a: PollAnswer, b: PollAnswer): boolean => (a.at === b.at ? a.answerId > b.answerId : a.at > b.at);
