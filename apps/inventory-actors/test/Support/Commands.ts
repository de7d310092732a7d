// Command builders for the write-path tests: real domain commands with fresh ids and the wall clock.
import {
  CustomerId,
  DropId,
  EpochMillis,
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

/** Ring-fences `allocation` units of `s` for a drop open from `opensInMs` (may be negative) for `openForMs`. */
export const allocateDrop = (s: Sku, dropId: string, allocation: number, limitPerCustomer: number, opensInMs = -1_000, openForMs = 600_000): Command => {
  const envelope = base(s, 'allocate');
  return {
    _tag: 'AllocateDrop',
    ...envelope,
    dropId: DropId.make(dropId),
    opensAt: EpochMillis.make(envelope.now + opensInMs),
    closesAt: EpochMillis.make(envelope.now + opensInMs + openForMs),
    allocation: Quantity.make(allocation),
    limitPerCustomer: Quantity.make(limitPerCustomer),
  };
};

export const dropHold = (s: Sku, dropId: string, id: string, customer: string, qty = 1): Command => ({
  _tag: 'ReserveStock',
  ...base(s, 'drop-hold'),
  reservationId: ReservationId.make(id),
  qty: Quantity.make(qty),
  ttlSeconds: TtlSeconds.make(600),
  dropId: DropId.make(dropId),
  customerId: CustomerId.make(customer),
});

export const closeDrop = (s: Sku, dropId: string): Command => ({
  _tag: 'CloseDrop',
  ...base(s, 'close-drop'),
  dropId: DropId.make(dropId),
  reason: 'closed_by_operator',
});
