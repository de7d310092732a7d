// Bulk imports (DESIGN.md §10, issue 17): `imported_row` remembers each CSV row by (kind, key) — `pending`
// from before its command is sent, `applied` once JetStream stored it — so a file uploaded twice applies
// once; a pending row's fate is read from the ledger by its command id (hence that index). Written by hand in the shape `createMigration` emits (unqualified SQL).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261207112500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "imported_row" ("kind" text not null, "key" text not null, "content" jsonb not null, "command_id" text not null, "actor" text not null, "applied_at" timestamptz not null, "state" text not null default 'applied', constraint "imported_row_pkey" primary key ("kind", "key"));`);
    this.addSql(`create index "ledger_entry_command_id_index" on "ledger_entry" ("command_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "ledger_entry_command_id_index";`);
    this.addSql(`drop table if exists "imported_row" cascade;`);
  }
}
