// The `poll_answer` table: one row per (poll, question, respondent) of POST /v1/signals/polls, holding
// the answer with the latest `at` (on the same instant the greater answer id), so the same batch sent
// twice, or answers arriving out of order, leave the same rows. Written with raw SQL (apps/api
// Signals/PollAnswerStore.ts); declared here so the ORM knows every table.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PollAnswerRecord = defineEntity({
  name: 'PollAnswerRecord',
  tableName: 'poll_answer',
  properties: {
    pollId: p.text().primary(),
    questionId: p.text().primary(),
    respondentId: p.text().primary(),
    answerId: p.text(),
    /** When the respondent answered (the poll tool's time). */
    at: p.datetime(),
    /** When Larder stored this answer (the first one, or the later one that replaced it). */
    receivedAt: p.datetime(),
  },
  // Counting joins the answers to the mapping by (poll, question, answer).
  indexes: [{ properties: ['pollId', 'questionId', 'answerId'], name: 'poll_answer_answer_index' }],
});

export type PollAnswerRecord = InferEntity<typeof PollAnswerRecord>;
