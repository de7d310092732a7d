// The replenishment policy of a catalogue entry (DESIGN.md §10 "Demand", GET /v1/restock-suggestions):
// `{leadTimeDays, serviceLevel, reviewDays?}` as nullable jsonb on `catalog_sku`; null = the defaults.
// Written by hand in the shape `createMigration` emits (unqualified SQL).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261221090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "catalog_sku" add column "replenishment" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "catalog_sku" drop column if exists "replenishment";`);
  }
}
