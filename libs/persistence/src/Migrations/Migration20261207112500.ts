// Bulk imports (DESIGN.md §10, issue 17): `imported_row` remembers each applied CSV row by (kind, key),
// so a file uploaded twice applies once. Written by hand in the shape `createMigration` emits (unqualified SQL).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261207112500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "imported_row" ("kind" text not null, "key" text not null, "content" jsonb not null, "command_id" text not null, "actor" text not null, "applied_at" timestamptz not null, constraint "imported_row_pkey" primary key ("kind", "key"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "imported_row" cascade;`);
  }
}
