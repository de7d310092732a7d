// Poll and survey signals (DESIGN.md §10 "Demand", docs/demand-signals.md): `poll_answer` keeps one answer
// per (poll, question, respondent) — ids in collation "C", so the tie-break on answer id compares bytes as
// the API does —, indexed by (poll, question, answer) for the join with `poll_mapping_answer` (the SKUs
// each answer names); `poll_mapping` says who mapped a poll and when. Written by hand in the shape
// `createMigration` emits (unqualified SQL).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261220100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "poll_answer" ("poll_id" text collate "C" not null, "question_id" text collate "C" not null, "respondent_id" text collate "C" not null, "answer_id" text collate "C" not null, "at" timestamptz not null, "received_at" timestamptz not null, constraint "poll_answer_pkey" primary key ("poll_id", "question_id", "respondent_id"));`);
    this.addSql(`create index "poll_answer_answer_index" on "poll_answer" ("poll_id", "question_id", "answer_id");`);
    this.addSql(`create table "poll_mapping" ("poll_id" text collate "C" not null, "updated_at" timestamptz not null, "updated_by" text not null, constraint "poll_mapping_pkey" primary key ("poll_id"));`);
    this.addSql(`create table "poll_mapping_answer" ("poll_id" text collate "C" not null, "question_id" text collate "C" not null, "answer_id" text collate "C" not null, "skus" text[] not null, constraint "poll_mapping_answer_pkey" primary key ("poll_id", "question_id", "answer_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "poll_mapping_answer" cascade;`);
    this.addSql(`drop table if exists "poll_mapping" cascade;`);
    this.addSql(`drop table if exists "poll_answer" cascade;`);
  }
}
