// Recall traces (DESIGN.md §10): `recall_drill` records each mock recall (who, when, the selector, what
// it found and how long it took); partial indexes make a trace by lot fast on a large ledger — a GIN
// (`jsonb_path_ops`, for `details @> '{"lots":[{"lot":…}]}'`) over the rows that take units from lots,
// and expression indexes over the receipts' lot (code, best-before, production date); an index on `at`
// serves the retention purge. Written by hand in the shape `createMigration` emits (unqualified SQL).
import { Migration } from '@mikro-orm/migrations';

const takes = `"event_type" in ('ReservationCommitted', 'SaleRecorded', 'StockAdjusted', 'StockCounted')`;
const receipts = `"event_type" in ('StockRestocked', 'ReturnReceived')`;

export class Migration20261214090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "recall_drill" ("id" text not null, "ran_at" timestamptz not null, "actor" text not null, "selector" jsonb not null, "lots" jsonb not null, "lines" int not null, "units" int not null, "difference" int not null, "took_ms" double precision not null, constraint "recall_drill_pkey" primary key ("id"));`);
    this.addSql(`create index "recall_drill_ran_at_index" on "recall_drill" ("ran_at" desc);`);
    this.addSql(`create index "ledger_entry_lot_takes_index" on "ledger_entry" using gin ("details" jsonb_path_ops) where ${takes};`);
    this.addSql(`create index "ledger_entry_lot_code_index" on "ledger_entry" ("sku", ("details"->'lot'->>'code')) where ${receipts};`);
    this.addSql(`create index "ledger_entry_lot_best_before_index" on "ledger_entry" ("sku", ("details"->'lot'->>'bestBefore')) where ${receipts};`);
    this.addSql(`create index "ledger_entry_lot_produced_on_index" on "ledger_entry" (("details"->'lot'->>'producedOn')) where ${receipts};`);
    this.addSql(`create index "ledger_entry_at_index" on "ledger_entry" ("at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "ledger_entry_at_index";`);
    this.addSql(`drop index if exists "ledger_entry_lot_produced_on_index";`);
    this.addSql(`drop index if exists "ledger_entry_lot_best_before_index";`);
    this.addSql(`drop index if exists "ledger_entry_lot_code_index";`);
    this.addSql(`drop index if exists "ledger_entry_lot_takes_index";`);
    this.addSql(`drop table if exists "recall_drill" cascade;`);
  }
}
