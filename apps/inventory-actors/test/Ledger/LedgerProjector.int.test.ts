// The ledger projector on the real journal (NATS) and ledger (Postgres), each test in a world of its own:
// batches become exactly the rows `ledgerRowsOf` says, a redelivery or a second runner adds none, an unreadable
// journal message is terminated without stopping the next, and a failing Postgres only delays the rows;
// holds refused for want of stock become `lost_demand` rows in the same insert, once however often delivered.
import { Sku } from '@larder/domain';
import { encodeEventBatch, type EventBatch } from '@larder/messaging';
import { LedgerStoreError, type LedgerStoreShape } from '@larder/persistence';
import { requireNats, requirePostgres, type ServiceEndpoint } from '@larder/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Effect } from 'effect';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ledgerRowsOf } from '../../src/Ledger/LedgerRowsOf.js';
import { lostDemandRowsOf } from '../../src/Ledger/LostDemandRowsOf.js';
import { openLedgerWorld, waitUntil, type LedgerWorld } from './Fixtures/LedgerWorld.js';
import { adjust, commit, extend, policy, reserve, restock, sale, skuJournal } from './Fixtures/SkuJournal.js';

let nats: ServiceEndpoint;
let postgres: ServiceEndpoint;
let nc: NatsConnection;
const worlds: Array<LedgerWorld> = [];

beforeAll(async () => {
  [nats, postgres] = await Promise.all([requireNats(), requirePostgres()]);
  nc = await connect({ servers: nats.url });
  return async () => {
    await nc.close();
    await nats.stop();
    await postgres.stop();
  };
});
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});

const open = async () => {
  const world = await openLedgerWorld(nc, postgres.url);
  worlds.push(world);
  return world;
};

/** Publishes the batches in order; returns each with its journal sequence. */
const publishAll = async (world: LedgerWorld, batches: ReadonlyArray<EventBatch>) => {
  const out: Array<{ readonly seq: number; readonly batch: EventBatch }> = [];
  for (const batch of batches) out.push({ seq: await world.publish(batch), batch });
  return out;
};
const expectedRows = (published: ReadonlyArray<{ readonly seq: number; readonly batch: EventBatch }>, sku: string) =>
  published.filter((p) => p.batch.events[0].sku === sku).flatMap((p) => ledgerRowsOf(p.seq, p.batch));
const eventsIn = (batches: ReadonlyArray<EventBatch>) => batches.reduce((n, b) => n + b.events.length, 0);

describe('given batches in the journal before and after the projector starts', () => {
  it('stores one row per event, exactly as ledgerRowsOf maps it, for every SKU', async () => {
    const world = await open();
    const a = skuJournal('LEDGER-A');
    const b = skuJournal('LEDGER-B');
    const early = await publishAll(world, [a.batch(restock(50), policy(2, 5)), b.batch(restock(8)), a.batch(reserve('r1', 4), extend('r1', 1800))]);
    const projector = await world.startProjector();
    const late = await publishAll(world, [a.batch(commit('r1'), adjust(-1)), b.batch(sale('o-1', 10))]);
    const published = [...early, ...late];

    await waitUntil(async () => (await world.rowsOf('LEDGER-A')).length + (await world.rowsOf('LEDGER-B')).length === eventsIn(published.map((p) => p.batch)));
    expect(await world.rowsOf('LEDGER-A')).toEqual(expectedRows(published, 'LEDGER-A'));
    expect(await world.rowsOf('LEDGER-B')).toEqual(expectedRows(published, 'LEDGER-B'));
    expect(projector.stats()).toMatchObject({ projected: 5, skipped: 0, retried: 0 });
  });
});

describe('given an insert whose ack is lost (the batch is redelivered after its rows were stored)', () => {
  it('adds no row the second time', async () => {
    const world = await open();
    let failures = 0;
    const ackLost: LedgerStoreShape = {
      ...world.store,
      append: (rows) =>
        world.store.append(rows).pipe(
          Effect.flatMap((n) => (failures++ === 0 ? Effect.fail(new LedgerStoreError({ operation: 'append', detail: 'connection reset after commit' })) : Effect.succeed(n))),
        ),
    };
    const j = skuJournal('LEDGER-REDELIVERED');
    const published = await publishAll(world, [j.batch(restock(10), reserve('r1', 2), commit('r1'))]);
    const projector = await world.startProjector(ackLost, { backoffMs: 10 });

    await waitUntil(() => projector.stats().projected === 1);
    expect(projector.stats()).toMatchObject({ retried: 1, rowsInserted: 0, rowsDuplicate: 3 });
    expect(await world.rowsOf('LEDGER-REDELIVERED')).toEqual(expectedRows(published, 'LEDGER-REDELIVERED'));
  });
});

describe('given two runners sharing the durable consumer', () => {
  it('stores every event exactly once between them', async () => {
    const world = await open();
    const skus = ['LEDGER-S1', 'LEDGER-S2', 'LEDGER-S3'].map(skuJournal);
    const batches = skus.flatMap((j) => [j.batch(restock(100))].concat(Array.from({ length: 15 }, (_, i) => j.batch(sale(`o-${i}`, 1)))));
    const [first, second] = [await world.startProjector(), await world.startProjector()];
    const published = await publishAll(world, batches);

    const stored = async () => (await Promise.all(skus.map((j) => world.rowsOf(j.sku)))).flat().length;
    await waitUntil(async () => (await stored()) === eventsIn(batches));
    await waitUntil(() => first.stats().projected + second.stats().projected >= batches.length);
    for (const j of skus) expect(await world.rowsOf(j.sku)).toEqual(expectedRows(published, j.sku));
  });
});

describe('given an unreadable message in the journal', () => {
  it('terminates it with an error log naming its sequence, keeps it in the journal, and projects the next', async () => {
    const world = await open();
    const sku = Sku.make('LEDGER-POISON');
    const notJson = await world.publishBytes(sku, new TextEncoder().encode('{not json'));
    const noEvents = await world.publishBytes(sku, new TextEncoder().encode(JSON.stringify({ v: 1, epoch: 1, events: [] })));
    const j = skuJournal('LEDGER-POISON');
    const published = await publishAll(world, [j.batch(restock(3))]);
    const projector = await world.startProjector();

    await waitUntil(async () => (await world.rowsOf(sku)).length === 1);
    await waitUntil(() => projector.stats().skipped === 2);
    expect(await world.rowsOf(sku)).toEqual(expectedRows(published, sku));
    const errors = world.logs.filter((l) => l.level === 'ERROR').map((l) => l.message);
    expect(errors.some((m) => m.includes(`journal message ${notJson} `))).toBe(true);
    expect(errors.some((m) => m.includes(`journal message ${noEvents} `))).toBe(true);
    // The journal keeps it; the consumer is done with it (terminated, not pending redelivery).
    expect((await world.jsm.streams.getMessage(world.names.journal.stream, { seq: notJson }))?.seq).toBe(notJson);
    await waitUntil(async () => (await world.jsm.consumers.info(world.names.journal.stream, 'ledger')).num_ack_pending === 0);
  });

  it('leaves one of a newer wire version for an upgraded runner instead of terminating it', async () => {
    const world = await open();
    const j = skuJournal('LEDGER-NEWER');
    const future = JSON.stringify({ ...JSON.parse(new TextDecoder().decode(encodeEventBatch(j.batch(restock(1))))), v: 99 });
    await world.publishBytes(j.sku, new TextEncoder().encode(future));
    const published = await publishAll(world, [j.batch(restock(2))]);
    const projector = await world.startProjector(undefined, { maxBackoffMs: 50 });

    await waitUntil(async () => (await world.rowsOf(j.sku)).length === 1);
    await waitUntil(() => world.logs.filter((l) => l.message.includes('wire version 99')).length >= 2);
    expect(projector.stats().skipped).toBe(0);
    expect(await world.rowsOf(j.sku)).toEqual(expectedRows(published, j.sku));
  });
});

describe('given Postgres failing for a while', () => {
  it('naks the batches, keeps consuming, and stores them once it answers again', async () => {
    const world = await open();
    let outage = 4;
    const flaky: LedgerStoreShape = {
      ...world.store,
      append: (rows) =>
        outage-- > 0 ? Effect.fail(new LedgerStoreError({ operation: 'append', detail: 'connection refused' })) : world.store.append(rows),
    };
    const j = skuJournal('LEDGER-OUTAGE');
    const batches = [j.batch(restock(10)), j.batch(reserve('r1', 1)), j.batch(commit('r1'))];
    const projector = await world.startProjector(flaky, { backoffMs: 10, concurrency: 1 });
    const published = await publishAll(world, batches);

    await waitUntil(async () => (await world.rowsOf(j.sku)).length === eventsIn(batches));
    expect(await world.rowsOf(j.sku)).toEqual(expectedRows(published, j.sku));
    // Each failed insert naks every batch it carried (one or more) and says so once.
    expect(projector.stats()).toMatchObject({ skipped: 0, projected: 3 });
    expect(projector.stats().retried).toBeGreaterThanOrEqual(4);
    expect(world.logs.filter((l) => l.level === 'WARN' && l.message.includes('connection refused'))).toHaveLength(4);
  });
});

describe('given a backlog of journal batches', () => {
  it('stores them in fewer inserts than batches, every row once', async () => {
    const world = await open();
    let inserts = 0;
    const counting: LedgerStoreShape = {
      ...world.store,
      append: (rows) => Effect.suspend(() => {
        inserts += 1;
        return world.store.append(rows);
      }),
    };
    const j = skuJournal('LEDGER-BACKLOG');
    const batches = [j.batch(restock(100)), ...Array.from({ length: 49 }, (_, i) => j.batch(reserve(`r${i}`, 1)))];
    const published = await publishAll(world, batches);
    const projector = await world.startProjector(counting, { concurrency: 1 });

    await waitUntil(async () => (await world.rowsOf(j.sku)).length === eventsIn(batches));
    expect(await world.rowsOf(j.sku)).toEqual(expectedRows(published, j.sku));
    expect(projector.stats()).toMatchObject({ projected: 50, skipped: 0, retried: 0 });
    expect(inserts).toBeLessThan(50);
  });
});

describe('given batches with holds refused for want of stock, delivered again after their insert', () => {
  it('stores one lost-demand row per batch and location beside the ledger rows, and the redelivery adds none', async () => {
    const world = await open();
    let lostAcks = 0;
    // The first insert carrying lost demand is stored, then its answer is lost: those batches come again.
    const ackLost: LedgerStoreShape = {
      ...world.store,
      append: (rows, lost = []) =>
        world.store.append(rows, lost).pipe(
          Effect.flatMap((n) =>
            lost.length > 0 && lostAcks++ === 0 ? Effect.fail(new LedgerStoreError({ operation: 'append', detail: 'connection reset after commit' })) : Effect.succeed(n),
          ),
        ),
    };
    const j = skuJournal('LEDGER-LOST');
    const batches = [
      j.batch(restock(3)),
      j.batch(reserve('r1', 2), reserve('r2', 2), reserve('r3', 4)),
      // Sold out: a batch of refusals only has no ledger row, only its lost demand.
      j.batch(reserve('r4', 1), reserve('r5', 1), reserve('r6', 5)),
    ];
    const published = await publishAll(world, batches);
    const projector = await world.startProjector(ackLost, { backoffMs: 10, concurrency: 1 });

    await waitUntil(() => projector.stats().projected === 3);
    const expected = published.flatMap((p) => lostDemandRowsOf(p.seq, p.batch));
    expect(expected.map((r) => [r.units, r.refusals])).toEqual([[6, 2], [6, 2]]);
    expect(await world.lostDemandOf(j.sku)).toEqual(expected);
    expect(await world.rowsOf(j.sku)).toEqual(expectedRows(published, j.sku));
    expect(lostAcks).toBeGreaterThanOrEqual(2);
    expect(projector.stats().retried).toBeGreaterThanOrEqual(1);

    // The same rows once more, straight to the store: nothing changes.
    await Effect.runPromise(world.store.append(expectedRows(published, j.sku), expected));
    expect(await world.lostDemandOf(j.sku)).toEqual(expected);
  });
});
