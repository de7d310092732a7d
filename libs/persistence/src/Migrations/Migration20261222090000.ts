// Lost demand (DESIGN.md §10 "Demand", docs/demand-signals.md): `lost_demand` keeps, per journal batch and
// location, the holds refused for want of stock (`ReservationRefused`, reason `insufficient_stock`) summed
// — units asked, refusals, distinct customers named — not one row per refusal, so a sell-out stays small.
// Keyed by (seq, location) for the projector's `on conflict do nothing`; read per SKU and day by (sku, at).
// Written by hand in the shape `createMigration` emits (unqualified SQL).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261222090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "lost_demand" ("seq" bigint not null, "location" text not null, "sku" text not null, "at" timestamptz not null, "units" int not null, "refusals" int not null, "customers" int not null, constraint "lost_demand_pkey" primary key ("seq", "location"));`);
    this.addSql(`create index "lost_demand_sku_at_index" on "lost_demand" ("sku", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "lost_demand" cascade;`);
  }
}
