// Lost demand's pure fold on batches from the real decider: only holds refused for want of stock count (in a
// drop or not), per batch, location and customer named — a customer's largest ask, holds naming none summed.
import { CustomerId, DropId, EpochMillis, LocationId, OrderId, Quantity, Reference, ReservationId, TtlSeconds } from '@larder/domain';
import { describe, expect, it } from 'vitest';
import { lostDemandRowsOf } from '../../src/Ledger/LostDemandRowsOf.js';
import { reserve, restock, skuJournal, t0, type Step } from './Fixtures/SkuJournal.js';

const restockAt = (location: string, qty: number): Step => (s) => ({
  _tag: 'Restock', ...s, qty: Quantity.make(qty), reference: Reference.make('PO-2'), location: LocationId.make(location),
});
const holdAt = (id: string, qty: number, location: string): Step => (s) => ({
  _tag: 'ReserveStock', ...s, reservationId: ReservationId.make(id), qty: Quantity.make(qty), ttlSeconds: TtlSeconds.make(900),
  orderId: OrderId.make(`order-${id}`), location: LocationId.make(location),
});
/** A drop of `allocation` units at main, opening a minute after the command, `limit` per customer. */
const allocate = (dropId: string, allocation: number, limit: number): Step => (s) => ({
  _tag: 'AllocateDrop', ...s, dropId: DropId.make(dropId), opensAt: EpochMillis.make(s.now + 60_000), closesAt: EpochMillis.make(s.now + 3_600_000),
  allocation: Quantity.make(allocation), limitPerCustomer: Quantity.make(limit),
});
const holdInDrop = (id: string, qty: number, dropId: string, customer: string): Step => (s) => ({
  _tag: 'ReserveStock', ...s, reservationId: ReservationId.make(id), qty: Quantity.make(qty), ttlSeconds: TtlSeconds.make(900),
  dropId: DropId.make(dropId), customerId: CustomerId.make(customer),
});

describe('given a batch where holds outran the stock at one location', () => {
  const j = skuJournal('LOST-ONE');
  j.batch(restock(3));
  // Commands are a second apart: the batch's commands run at t0 + 2 s … t0 + 5 s.
  const batch = j.batch(reserve('r1', 2), reserve('r2', 2), reserve('r3', 1), reserve('r4', 5));

  it('gives one row for the batch and location: units asked and refusals summed, timed at the first refusal', () => {
    expect(batch.events.map((e) => e._tag)).toEqual(['StockReserved', 'ReservationRefused', 'StockReserved', 'ReservationRefused']);
    expect(lostDemandRowsOf(41, batch)).toEqual([{ seq: 41, location: 'main', customer: '', sku: 'LOST-ONE', at: t0 + 3000, units: 7, refusals: 2 }]);
  });

  it('counts nothing of the holds that were taken', () => {
    const held = j.batch(restock(5), reserve('r5', 5));
    expect(lostDemandRowsOf(42, held)).toEqual([]);
  });
});

describe('given a batch with refusals at two locations', () => {
  it('gives one row per location, in the order of their first refusal', () => {
    const j = skuJournal('LOST-TWO');
    j.batch(restock(1), restockAt('east', 1));
    const batch = j.batch(holdAt('e1', 2, 'east'), holdAt('m1', 4, 'main'), holdAt('e2', 3, 'east'));
    expect(lostDemandRowsOf(9, batch)).toEqual([
      { seq: 9, location: 'east', customer: '', sku: 'LOST-TWO', at: t0 + 3000, units: 5, refusals: 2 },
      { seq: 9, location: 'main', customer: '', sku: 'LOST-TWO', at: t0 + 4000, units: 4, refusals: 1 },
    ]);
  });
});

describe('given a drop that sold out', () => {
  const j = skuJournal('LOST-DROP');
  j.batch(restock(10), allocate('d1', 3, 2));
  const early = j.batch(holdInDrop('d-early', 1, 'd1', 'ann'));
  j.advance(120);
  const batch = j.batch(
    holdInDrop('d1', 2, 'd1', 'ann'),
    holdInDrop('d2', 2, 'd1', 'bob'),
    holdInDrop('d3', 1, 'd1', 'bob'),
    holdInDrop('d4', 1, 'd1', 'cid'),
    holdInDrop('d5', 2, 'd1', 'cid'),
    holdInDrop('d6', 1, 'd1', 'dee'),
    holdInDrop('d7', 3, 'd1', 'ann'),
  );

  it('counts its refusals for want of units per customer: a customer who retried wanted their largest ask, once', () => {
    const refused = batch.events.flatMap((e) => (e._tag === 'ReservationRefused' ? [e] : []));
    expect(refused.map((e) => `${e.customerId}:${e.reason}:${e.requested}`)).toEqual([
      'bob:insufficient_stock:2', 'cid:insufficient_stock:1', 'cid:insufficient_stock:2', 'dee:insufficient_stock:1', 'ann:limit_exceeded:3',
    ]);
    const atOf = (customer: string) => refused.find((e) => e.customerId === customer)?.at;
    expect(lostDemandRowsOf(77, batch)).toEqual([
      { seq: 77, location: 'main', customer: 'bob', sku: 'LOST-DROP', at: atOf('bob'), units: 2, refusals: 1 },
      { seq: 77, location: 'main', customer: 'cid', sku: 'LOST-DROP', at: atOf('cid'), units: 2, refusals: 2 },
      { seq: 77, location: 'main', customer: 'dee', sku: 'LOST-DROP', at: atOf('dee'), units: 1, refusals: 1 },
    ]);
  });

  it('counts no hold refused because the drop was not open yet', () => {
    expect(early.events.map((e) => e._tag === 'ReservationRefused' && e.reason)).toEqual(['drop_not_open']);
    expect(lostDemandRowsOf(5, early)).toEqual([]);
  });
});
