// Real domain values for codec tests, built with the domain's own schema `.make` constructors.
import {
  Actor,
  CommandId,
  EpochMillis,
  InsufficientStock,
  LocationId,
  OrderId,
  Quantity,
  RecordSale,
  Reference,
  ReservationId,
  ReserveStock,
  Restock,
  ShortfallRecorded,
  Sku,
  StockReserved,
  TtlSeconds,
} from '@larder/domain';

export const sku = Sku.make('JERKY-TERIYAKI-100G');
export const location = LocationId.make('main');
export const now = EpochMillis.make(1_764_000_000_000);
export const actor = Actor.make('apikey:storefront');

export const reserve = ReserveStock.make({
  commandId: CommandId.make('cmd-reserve-1'),
  actor,
  now,
  sku,
  reservationId: ReservationId.make('res-1'),
  qty: Quantity.make(2),
  ttlSeconds: TtlSeconds.make(900),
  orderId: OrderId.make('order-1'),
});

export const restock = Restock.make({
  commandId: CommandId.make('cmd-restock-1'),
  actor: Actor.make('user:warehouse-7'),
  now,
  sku,
  location: LocationId.make('berlin_dc'),
  qty: Quantity.make(500),
  reference: Reference.make('PO-2025-0042'),
});

export const sale = RecordSale.make({
  commandId: CommandId.make('cmd-sale-1'),
  actor: Actor.make('service:orders'),
  now,
  sku,
  orderId: OrderId.make('order-9'),
  qty: Quantity.make(3),
});

export const reserved = StockReserved.make({
  commandId: reserve.commandId,
  actor,
  at: now,
  sku,
  location,
  before: { onHand: 10, reserved: 0, safetyStock: 1 },
  after: { onHand: 10, reserved: 2, safetyStock: 1 },
  reason: 'checkout',
  reservationId: reserve.reservationId,
  qty: reserve.qty,
  expiresAt: EpochMillis.make(now + 900_000),
  orderId: OrderId.make('order-1'),
});

export const shortfall = ShortfallRecorded.make({
  commandId: sale.commandId,
  actor: sale.actor,
  at: now,
  sku,
  location,
  before: { onHand: 1, reserved: 0, safetyStock: 0 },
  after: { onHand: 1, reserved: 0, safetyStock: 0 },
  reason: 'sale_without_stock',
  shortfall: Quantity.make(2),
});

export const insufficient = InsufficientStock.make({ sku, location, requested: 5, available: 2 });

/** The UTF-8 JSON bytes of any value, for hand-made (possibly invalid) wire messages. */
export const jsonBytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** The JSON of encoded bytes, to tamper with. */
export const parsedJson = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));
