// `larder ledger purge` against a real Postgres, in a schema of this file's own, on 2027-01-01 (a test
// clock): --before 2025-01-01 deletes the rows of 2024 and older and keeps 2025's, lost demand alike; one day
// later is refused with the latest day allowed, and nothing is deleted.
import { makeLedgerStore, makeOrmConfig, migrate, type LedgerRow, type LostDemandRow } from '@larder/persistence';
import { dropPostgresSchema, makeTestNamespace, requirePostgres, type ServiceEndpoint } from '@larder/testing';
import { MikroORM } from '@mikro-orm/postgresql';
import { ConfigProvider, Effect, Schema, TestClock, TestContext } from 'effect';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/Cli/RunCli.js';

const ns = makeTestNamespace();
let endpoint: ServiceEndpoint;
let orm: MikroORM;

const row = (seq: number, at: string): LedgerRow => ({
  seq,
  idx: 0,
  sku: 'JERKY-PURGE',
  location: 'main',
  eventType: 'StockRestocked',
  commandId: `purge-cmd-${seq}`,
  actor: 'apikey:backoffice',
  reason: 'restock',
  reference: 'po-1',
  at: Date.parse(at),
  before: { onHand: 0, reserved: 0, safetyStock: 0 },
  after: { onHand: 1, reserved: 0, safetyStock: 0 },
  quantity: 1,
  details: {},
});

const lost = (seq: number, at: string): LostDemandRow => ({ seq, location: 'main', customer: '', sku: 'JERKY-PURGE', at: Date.parse(at), units: 2, refusals: 1 });

beforeAll(async () => {
  endpoint = await requirePostgres();
  orm = await MikroORM.init(makeOrmConfig({ url: endpoint.url, schema: ns.postgresSchema }));
  await migrate(orm);
  await Effect.runPromise(
    makeLedgerStore(orm).append(
      [row(1, '2022-06-01T12:00:00Z'), row(2, '2024-12-31T23:59:59.999Z'), row(3, '2025-01-01T00:00:00Z'), row(4, '2026-06-01T00:00:00Z')],
      [lost(11, '2024-12-31T23:59:59.999Z'), lost(12, '2025-01-01T00:00:00Z')],
    ),
  );
  return async () => {
    await orm.close(true);
    await dropPostgresSchema(endpoint.url, ns.postgresSchema);
    await endpoint.stop();
  };
});

const Seqs = Schema.Array(Schema.Struct({ seq: Schema.NumberFromString }));
const seqsLeft = async (table = 'ledger_entry') =>
  Schema.decodeUnknownSync(Seqs)(await orm.em.getConnection().execute(`select seq::text as seq from ${table} order by seq`)).map((r) => r.seq);

const purgeOn = (now: string, before: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse(now));
      return yield* runCli(['ledger', 'purge', '--before', before, '--json']);
    }).pipe(
      Effect.provide(TestContext.TestContext),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map([['DATABASE_URL', endpoint.url], ['LARDER_DB_SCHEMA', ns.postgresSchema]]))),
    ),
  );

describe('on 2027-01-01', () => {
  it('a cutoff one day past the limit is refused and deletes nothing', async () => {
    const result = await purgeOn('2027-01-01T00:00:00Z', '2025-01-02');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/refused: .* The latest --before allowed today \(2027-01-01\) is 2025-01-01; nothing was deleted/);
    expect(await seqsLeft()).toEqual([1, 2, 3, 4]);
    expect(await seqsLeft('lost_demand')).toEqual([11, 12]);
  }, 60_000);

  it('--before 2025-01-01 deletes 2022 and the last millisecond of 2024, and keeps 2025 on', async () => {
    const result = await purgeOn('2027-01-01T00:00:00Z', '2025-01-01');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ before: '2025-01-01', deleted: 2 });
    expect(await seqsLeft()).toEqual([3, 4]);
    expect(await seqsLeft('lost_demand')).toEqual([12]);
  }, 60_000);
});
