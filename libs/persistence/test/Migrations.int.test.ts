// The migrations on a real Postgres, in a schema of this file's own: every table is created there, and a
// snapshot and a catalogue row round-trip through the EntityManager. The schema is dropped afterwards.
import { dropPostgresSchema, makeTestNamespace, requirePostgres, type ServiceEndpoint } from '@larder/testing';
import { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { beforeAll, describe, expect, it } from 'vitest';
import { CatalogSku, makeOrmConfig, migrate, SkuSnapshot } from '../src/index.js';

const ns = makeTestNamespace();
let endpoint: ServiceEndpoint;
let orm: MikroORM;

// Cleanup is returned from beforeAll, so a Postgres that is down shows only the error naming what to start.
beforeAll(async () => {
  endpoint = await requirePostgres();
  orm = await MikroORM.init(makeOrmConfig({ url: endpoint.url, schema: ns.postgresSchema }));
  return async () => {
    await orm.close(true);
    await dropPostgresSchema(endpoint.url, ns.postgresSchema);
    await endpoint.stop();
  };
});

const TableRows = Schema.Array(Schema.Struct({ table_name: Schema.String }));
const RawSnapshotRows = Schema.Array(Schema.Struct({ seq: Schema.String, kind: Schema.String }));

const tablesOf = async (schema: string): Promise<ReadonlyArray<string>> => {
  const rows = await orm.em
    .getConnection()
    .execute('select table_name from information_schema.tables where table_schema = ? order by 1', [schema]);
  return Schema.decodeUnknownSync(TableRows)(rows).map((r) => r.table_name);
};

describe('a fresh schema', () => {
  it('gets every table and the migrations table from the migrations, once', async () => {
    expect(await migrate(orm)).toEqual(['Migration20261126182146', 'Migration20261126190252', 'Migration20261207112500', 'Migration20261214090000', 'Migration20261220100000', 'Migration20261221090000', 'Migration20261222090000', 'Migration20261223090000']);
    expect(await tablesOf(ns.postgresSchema)).toEqual(['catalog_sku', 'imported_row', 'ledger_entry', 'lost_demand', 'mikro_orm_migrations', 'notify_request', 'poll_answer', 'poll_mapping', 'poll_mapping_answer', 'recall_drill', 'sku_snapshot']);
    expect(await migrate(orm)).toEqual([]);
  });
});

describe('a migrated schema', () => {
  it('round-trips a snapshot, bigint sequence and epoch as numbers, state as jsonb', async () => {
    const takenAt = new Date('2026-11-26T10:00:00.123Z');
    const state = { onHand: 120, reserved: 7, holds: [{ id: 'r-1', qty: 7, expiresAt: '2026-11-26T10:15:00Z' }] };
    const writer = orm.em.fork();
    writer.create(SkuSnapshot, { sku: 'JERKY-ORIG-100G', shard: 7, seq: 2 ** 40 + 3, epoch: 12, state, takenAt });
    await writer.flush();

    const read = await orm.em.fork().findOneOrFail(SkuSnapshot, { sku: 'JERKY-ORIG-100G' });

    expect(read).toMatchObject({ sku: 'JERKY-ORIG-100G', shard: 7, seq: 2 ** 40 + 3, epoch: 12, state, takenAt });
    const raw = await orm.em.getConnection().execute('select seq::text as seq, jsonb_typeof(state) as kind from sku_snapshot');
    expect(Schema.decodeUnknownSync(RawSnapshotRows)(raw)).toEqual([{ seq: String(2 ** 40 + 3), kind: 'object' }]);
  });

  it('round-trips a catalogue entry with its defaults and stamps updated_at on change', async () => {
    const writer = orm.em.fork();
    writer.create(CatalogSku, { sku: 'JERKY-TERI-50G', name: 'Teriyaki jerky 50 g', lowStockThreshold: null });
    await writer.flush();

    const reader = orm.em.fork();
    const entry = await reader.findOneOrFail(CatalogSku, { sku: 'JERKY-TERI-50G' });
    expect(entry).toMatchObject({ name: 'Teriyaki jerky 50 g', lowStockThreshold: null, safetyStock: 0 });
    expect(entry.createdAt).toBeInstanceOf(Date);

    const before = entry.updatedAt.getTime();
    await new Promise((resolve) => setTimeout(resolve, 20));
    entry.safetyStock = 5;
    entry.lowStockThreshold = 10;
    await reader.flush();

    const after = await orm.em.fork().findOneOrFail(CatalogSku, { sku: 'JERKY-TERI-50G' });
    expect(after).toMatchObject({ safetyStock: 5, lowStockThreshold: 10 });
    expect(after.updatedAt.getTime()).toBeGreaterThan(before);
  });
});
