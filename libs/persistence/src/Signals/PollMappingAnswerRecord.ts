// The `poll_mapping_answer` table: the SKUs one answer of a poll names (several for a flavour sold in
// sizes; none for an answer that is known but no demand). A PUT of the mapping replaces a poll's rows.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PollMappingAnswerRecord = defineEntity({
  name: 'PollMappingAnswerRecord',
  tableName: 'poll_mapping_answer',
  properties: {
    pollId: p.text().primary(),
    questionId: p.text().primary(),
    answerId: p.text().primary(),
    skus: p.array(),
  },
});

export type PollMappingAnswerRecord = InferEntity<typeof PollMappingAnswerRecord>;
