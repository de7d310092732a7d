// Lost demand (DESIGN.md §10 "Demand", docs/demand-signals.md): `lost_demand` keeps, per journal batch,
// location and customer named (`customer` '' for holds naming none), the holds refused for want of stock
// (`ReservationRefused`, reason `insufficient_stock`): the customer's largest ask (for '' the units summed)
// and the refusals. So a customer retrying a refused hold is one customer's demand, not one per retry.
// Keyed by (seq, location, customer) for the projector's `on conflict do nothing`; read per SKU and day by (sku, at).
// Written by hand in the shape `createMigration` emits (unqualified SQL).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261222090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "lost_demand" ("seq" bigint not null, "location" text not null, "customer" text not null, "sku" text not null, "at" timestamptz not null, "units" int not null, "refusals" int not null, constraint "lost_demand_pkey" primary key ("seq", "location", "customer"));`);
    this.addSql(`create index "lost_demand_sku_at_index" on "lost_demand" ("sku", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "lost_demand" cascade;`);
  }
}
