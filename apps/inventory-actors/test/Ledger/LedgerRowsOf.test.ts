// The ledger's pure mapping: one row per event keyed (seq, idx), meta as columns, qty / delta / shortfall as
// `quantity`, everything else in `details`, and no field of any event lost on the way.
import type { Event } from '@larder/domain';
import type { EventBatch } from '@larder/messaging';
import type { LedgerRow } from '@larder/persistence';
import { describe, expect, it } from 'vitest';
import { ledgerRowsOf } from '../../src/Ledger/LedgerRowsOf.js';
import {
  adjust, commit, expire, extend, policy, receiveReturn, release, reserve, restock, sale, skuJournal, t0, type SkuJournal,
} from './Fixtures/SkuJournal.js';

/** Every event type the domain has, each batch from real commands. */
const everyEventType = (j: SkuJournal): ReadonlyArray<EventBatch> => {
  const batches = [
    j.batch(restock(10), policy(1, 3)),
    j.batch(reserve('r1', 2), extend('r1', 1800), commit('r1')),
    j.batch(reserve('r2', 1), release('r2'), reserve('r3', 1)),
  ];
  j.advance(3600);
  return [
    ...batches,
    j.batch(expire('r3'), adjust(-1), sale('o-9', 20)),
    j.batch(receiveReturn('o-9', 2, true)),
  ];
};

/** The event a row stands for, put back together from its columns, quantity and details. */
const eventFromRow = (row: LedgerRow, original: Event): Record<string, unknown> => {
  const quantityField = ['qty', 'delta', 'shortfall'].find((field) => field in original);
  return {
    _tag: row.eventType,
    commandId: row.commandId,
    actor: row.actor,
    at: row.at,
    sku: row.sku,
    location: row.location,
    reason: row.reason,
    ...(row.reference === null ? {} : { reference: row.reference }),
    before: row.before,
    after: row.after,
    ...(quantityField === undefined ? {} : { [quantityField]: row.quantity }),
    ...row.details,
  };
};

describe('given a batch of a hold, its extension and its commit', () => {
  const j = skuJournal('ROWS-HOLD');
  j.batch(restock(10));
  const batch = j.batch(reserve('r1', 3), extend('r1', 1800), commit('r1'));
  const rows = ledgerRowsOf(17, batch);

  it('gives one row per event, in order, keyed by the journal sequence and the position in the batch', () => {
    expect(rows.map((r) => [r.seq, r.idx, r.eventType])).toEqual([
      [17, 0, 'StockReserved'],
      [17, 1, 'ReservationExtended'],
      [17, 2, 'ReservationCommitted'],
    ]);
  });

  it('puts who, why, when, where and the levels into columns, and the hold’s fields into details', () => {
    expect(rows[0]).toEqual({
      seq: 17,
      idx: 0,
      sku: 'ROWS-HOLD',
      location: 'main',
      eventType: 'StockReserved',
      commandId: 'ROWS-HOLD-2',
      actor: 'user:warehouse',
      reason: 'checkout',
      // The domain uses a hold's order id as its reference.
      reference: 'order-r1',
      at: t0 + 2000,
      before: { onHand: 10, reserved: 0, safetyStock: 0 },
      after: { onHand: 10, reserved: 3, safetyStock: 0 },
      quantity: 3,
      details: { reservationId: 'r1', expiresAt: t0 + 2000 + 900_000, orderId: 'order-r1' },
    });
  });

  it('has no quantity for an extension, whose details say both expiries', () => {
    expect(rows[1]).toMatchObject({
      quantity: null,
      reason: 'extended',
      details: { reservationId: 'r1', previousExpiresAt: t0 + 2000 + 900_000, expiresAt: t0 + 3000 + 1_800_000 },
    });
  });
});

describe('given a sale beyond the stock and an adjustment', () => {
  const j = skuJournal('ROWS-SHORT');
  j.batch(restock(5));
  const rows = ledgerRowsOf(3, j.batch(adjust(-2), sale('o-1', 7)));

  it('takes the adjustment’s signed delta, the shortfall’s units and the sale’s qty as quantity', () => {
    expect(rows.map((r) => [r.eventType, r.quantity, r.reference])).toEqual([
      ['StockAdjusted', -2, 'count-7'],
      ['SaleRecorded', 7, 'o-1'],
      ['ShortfallRecorded', 4, 'o-1'],
    ]);
    expect(rows[1]?.details).toEqual({ orderId: 'o-1' });
    expect(rows[2]?.details).toEqual({});
  });
});

describe('given every event type the domain has', () => {
  const batches = everyEventType(skuJournal('ROWS-ALL'));

  it('covers all eleven', () => {
    const types = new Set(batches.flatMap((b) => b.events.map((e) => e._tag)));
    expect(types.size).toBe(11);
  });

  it('loses no field: each row puts its event back together exactly', () => {
    batches.forEach((batch, n) => {
      const rows = ledgerRowsOf(n + 1, batch);
      expect(rows).toHaveLength(batch.events.length);
      batch.events.forEach((event, idx) => {
        const row = rows[idx];
        expect(row).toBeDefined();
        if (row !== undefined) expect(eventFromRow(row, event)).toEqual(event);
      });
    });
  });

  it('never repeats a column in details', () => {
    const columns = ['_tag', 'commandId', 'actor', 'at', 'sku', 'location', 'reason', 'reference', 'before', 'after', 'qty', 'delta', 'shortfall'];
    for (const row of batches.flatMap((b, n) => ledgerRowsOf(n + 1, b))) {
      expect(Object.keys(row.details).filter((key) => columns.includes(key))).toEqual([]);
    }
  });
});

describe('given a batch with a hold refused for want of stock', () => {
  it('has no row for the refusal: it moves nothing, the journal keeps it', () => {
    const j = skuJournal('LEDGER-REFUSED');
    j.batch(restock(1));
    const batch = j.batch(reserve('r1', 1), reserve('r2', 1));
    expect(batch.events.map((e) => e._tag)).toEqual(['StockReserved', 'ReservationRefused']);
    expect(ledgerRowsOf(7, batch).map((row) => row.eventType)).toEqual(['StockReserved']);
  });
});
