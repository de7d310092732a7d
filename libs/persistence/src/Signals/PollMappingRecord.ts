// The `poll_mapping` table: one row per poll whose answers were mapped to SKUs (PUT
// /v1/signals/polls/{pollId}/mapping), with who set it and when; its answers are `poll_mapping_answer`.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PollMappingRecord = defineEntity({
  name: 'PollMappingRecord',
  tableName: 'poll_mapping',
  properties: {
    pollId: p.text().primary(),
    updatedAt: p.datetime(),
    /** The actor of the last PUT (`apikey:<name>`, `user:<sub>`). */
    updatedBy: p.text(),
  },
});

export type PollMappingRecord = InferEntity<typeof PollMappingRecord>;
