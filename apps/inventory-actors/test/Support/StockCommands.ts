// More command builders beside Commands.ts (releases, extensions, adjustments, returns, policy),
// and a way to resend a command under a chosen id, for tests that drive a SKU through every path.
import {
  AdjustReasons,
  CommandId,
  Delta,
  OrderId,
  Quantity,
  Reference,
  ReservationId,
  TtlSeconds,
  Units,
  type Command,
  type Sku,
} from '@larder/domain';
import { commandId, now, testActor } from './RunnerFixture.js';

const base = (s: Sku, label: string) => ({ commandId: commandId(label), actor: testActor, now: now(), sku: s });

export const release = (s: Sku, id: string): Command => ({
  _tag: 'ReleaseReservation',
  ...base(s, 'release'),
  reservationId: ReservationId.make(id),
  reason: 'cancelled',
});

export const extend = (s: Sku, id: string, ttlSeconds: number): Command => ({
  _tag: 'ExtendReservation',
  ...base(s, 'extend'),
  reservationId: ReservationId.make(id),
  ttlSeconds: TtlSeconds.make(ttlSeconds),
});

export const adjust = (s: Sku, delta: number, reason: (typeof AdjustReasons)[number] = 'damaged'): Command => ({
  _tag: 'AdjustStock',
  ...base(s, 'adjust'),
  delta: Delta.make(delta),
  reason,
  reference: Reference.make('count-test'),
});

export const receiveReturn = (s: Sku, orderId: string, qty: number, restockable = true): Command => ({
  _tag: 'ReceiveReturn',
  ...base(s, 'return'),
  orderId: OrderId.make(orderId),
  qty: Quantity.make(qty),
  restockable,
  reference: Reference.make('rma-test'),
});

export const setSafetyStock = (s: Sku, safetyStock: number): Command => ({
  _tag: 'SetStockPolicy',
  ...base(s, 'policy'),
  safetyStock: Units.make(safetyStock),
});

/** The same command under another id (a marker the test planted, say). */
export const withCommandId = (command: Command, id: CommandId): Command => ({ ...command, commandId: id });
