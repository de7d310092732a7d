// The commands the benchmark sends: real domain commands, ids unique within a scenario's
// namespace, stamped with the wall clock (the runner restamps `now` when it decides).
import {
  Actor,
  CommandId,
  EpochMillis,
  OrderId,
  Quantity,
  Reference,
  ReservationId,
  Sku,
  TtlSeconds,
  type Command,
} from '@larder/domain';

const bench = Actor.make('service:bench');
// Long enough that no hold expires during a run: expiries would add appends of their own.
const holdTtl = TtlSeconds.make(3_600);

const base = (sku: Sku, id: string) => ({
  commandId: CommandId.make(id),
  actor: bench,
  now: EpochMillis.make(Date.now()),
  sku,
});

/** `BENCH-<n>`, n from 0; index 0 is the hot SKU. */
export const benchSku = (n: number): Sku => Sku.make(`BENCH-${n}`);

export const restockCommand = (sku: Sku, qty: number): Command => ({
  _tag: 'Restock',
  ...base(sku, `restock-${sku}`),
  qty: Quantity.make(qty),
  reference: Reference.make('bench'),
});

export const reserveCommand = (sku: Sku, id: string): Command => ({
  _tag: 'ReserveStock',
  ...base(sku, `reserve-${id}`),
  reservationId: ReservationId.make(id),
  qty: Quantity.make(1),
  ttlSeconds: holdTtl,
});

export const saleCommand = (sku: Sku, id: string): Command => ({
  _tag: 'RecordSale',
  ...base(sku, `sale-${id}`),
  orderId: OrderId.make(id),
  qty: Quantity.make(1),
});
