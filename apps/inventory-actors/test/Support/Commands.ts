// Command builders for the write-path tests: real domain commands with fresh ids and the wall clock.
import {
  LocationId,
  OrderId,
  Quantity,
  Reference,
  ReservationId,
  Sku,
  TtlSeconds,
  type Command,
} from '@larder/domain';
import { commandId, now, testActor } from './RunnerFixture.js';

export const sku = (name: string) => Sku.make(name);
const base = (s: Sku, label: string) => ({ commandId: commandId(label), actor: testActor, now: now(), sku: s });

export const restock = (s: Sku, qty: number): Command => ({
  _tag: 'Restock',
  ...base(s, 'restock'),
  qty: Quantity.make(qty),
  reference: Reference.make('po-test'),
});

export const reserve = (s: Sku, id: string, qty = 1, ttlSeconds = 600): Command => ({
  _tag: 'ReserveStock',
  ...base(s, 'reserve'),
  reservationId: ReservationId.make(id),
  qty: Quantity.make(qty),
  ttlSeconds: TtlSeconds.make(ttlSeconds),
});

export const commit = (s: Sku, id: string): Command => ({
  _tag: 'CommitReservation',
  ...base(s, 'commit'),
  reservationId: ReservationId.make(id),
});

export const recordSale = (s: Sku, orderId: string, qty = 1): Command => ({
  _tag: 'RecordSale',
  ...base(s, 'sale'),
  orderId: OrderId.make(orderId),
  qty: Quantity.make(qty),
});

export const mainLocation = LocationId.make('main');
