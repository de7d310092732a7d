// A runner keeps the audit ledger by itself: commands sent through the request path and INV_CMD end up in
// `ledger_entry` of the runner's schema, one row per journal event, exactly as `ledgerRowsOf` maps the journal.
import { CurrentWireVersion, EventBatch } from '@larder/messaging';
import { makeLedgerStore, makeOrmConfig } from '@larder/persistence';
import { MikroORM } from '@mikro-orm/postgresql';
import { Effect, Either, Schema } from 'effect';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerRowsOf } from '../../src/Ledger/LedgerRowsOf.js';
import { commit, recordSale, reserve, restock, sku } from '../Support/Commands.js';
import { journalOf } from '../Support/JournalOf.js';
import { makeRunnerFixture, type RunnerFixture } from '../Support/RunnerFixture.js';
import { waitUntil } from './Fixtures/LedgerWorld.js';

let f: RunnerFixture;
let orm: MikroORM;
beforeAll(async () => {
  f = await makeRunnerFixture();
  await f.startInProcess();
  const { DATABASE_URL: url, LARDER_DB_SCHEMA: schema } = f.env;
  if (url === undefined || schema === undefined) throw new Error('the runner fixture names no database or schema');
  orm = await MikroORM.init(makeOrmConfig({ url, schema }));
  return async () => {
    await orm?.close(true);
    await f?.cleanup();
  };
});

const toBatch = Schema.decodeUnknownSync(EventBatch);

describe('a runner taking commands for a SKU', () => {
  it('projects every journal event of the SKU into its ledger', async () => {
    const s = sku('LEDGER-RUNNER-1');
    const accepted = async (result: ReturnType<RunnerFixture['request']>) => {
      const outcome = await result;
      expect(Either.isRight(outcome) && outcome.right._tag).toBe('Accepted');
    };
    await accepted(f.request(restock(s, 20)));
    await accepted(f.request(reserve(s, 'runner-hold-1', 3)));
    await accepted(f.request(commit(s, 'runner-hold-1')));
    await f.publish(recordSale(s, 'runner-order-1', 2));

    const store = makeLedgerStore(orm);
    const ledger = async () => [...(await Effect.runPromise(store.page({ sku: s, limit: 200 }))).entries].reverse();
    // The async sale is in the journal once a fourth event is there; the ledger follows it.
    await waitUntil(async () => (await journalOf(f, s)).flatMap((r) => r.events).length >= 4, 15_000);
    const journal = await journalOf(f, s);
    const expected = journal.flatMap((r) => ledgerRowsOf(r.seq, toBatch({ v: CurrentWireVersion, epoch: r.epoch, events: r.events })));
    await waitUntil(async () => (await ledger()).length === expected.length, 15_000);

    expect(await ledger()).toEqual(expected);
    expect(expected.map((row) => row.eventType)).toEqual(['StockRestocked', 'StockReserved', 'ReservationCommitted', 'SaleRecorded']);
  });
});
