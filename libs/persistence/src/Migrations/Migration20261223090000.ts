// Notify-me requests (DESIGN.md §10 "Demand", docs/demand-signals.md): `notify_request` keeps one row per
// customer's wait for a SKU (and a sales channel; null = the SKU as a whole) until a back-in-stock event
// wakes it (`notified_at`, and `notified_by`: that event's STOCK stream sequence). The partial unique
// index lets one customer wait once per SKU and channel at a time, even under concurrent POSTs (insert …
// on conflict do nothing); once notified, a new request starts a new wait. Written by hand in the shape
// `createMigration` emits (unqualified SQL).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261223090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "notify_request" ("id" text not null, "sku" text not null, "customer_id" text not null, "channel" text null, "requested_at" timestamptz not null, "notified_at" timestamptz null, "notified_by" bigint null, constraint "notify_request_pkey" primary key ("id"));`);
    this.addSql(`create unique index "notify_request_waiting_unique" on "notify_request" ("sku", "customer_id", (coalesce("channel", ''))) where "notified_at" is null;`);
    // The back-in-stock consumer claims a SKU's waiting requests of one scope, and finds those it claimed.
    this.addSql(`create index "notify_request_sku_notified_by_index" on "notify_request" ("sku", "notified_by");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notify_request" cascade;`);
  }
}
