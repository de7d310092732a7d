// Fixtures for the decider's specifications: a fixed clock and ids, `given(...facts)` to build a
// SKU's state from past events, command builders with defaults, and readers of a decision.
import {
  Actor,
  CommandId,
  CustomerId,
  DefaultLocation,
  DefaultTtlSeconds,
  Delta,
  encodeState,
  EpochMillis,
  evolve,
  initialState,
  LocationId,
  OrderId,
  positionAt,
  Quantity,
  Reference,
  ReservationId,
  Sku,
  TtlSeconds,
  Units,
  withAllocated,
  type AdjustReason,
  type AdjustStock,
  type CountStock,
  type CommitReservation,
  type Decision,
  type EncodedSkuState,
  type Event,
  type ExpireReservation,
  type ExtendReservation,
  type ReceiveReturn,
  type RecordSale,
  type Rejection,
  type ReleaseReason,
  type ReleaseReservation,
  type ReserveStock,
  type Restock,
  type SetStockPolicy,
  type SkuState,
  type StockLevels,
  withBlocked,
} from '../src/index.js';
import { Either } from 'effect';

/** The fixed moment every specification starts at: Monday 6 January 2025, 09:00 UTC. */
export const t0 = EpochMillis.make(Date.UTC(2025, 0, 6, 9, 0, 0));
/** `seconds` after `t0`. */
export const after = (seconds: number): EpochMillis => EpochMillis.make(t0 + seconds * 1000);

export const sku = Sku.make('OAT-MILK-1L');
export const main = DefaultLocation;
export const cold = LocationId.make('cold-room');

export const clerk = Actor.make('user:alice');
export const shop = Actor.make('apikey:storefront');
export const timer = Actor.make('system:expiry-timer');

export const r1 = ReservationId.make('res-1');
export const r2 = ReservationId.make('res-2');
export const order = OrderId.make('order-1001');
export const customer = CustomerId.make('cust-42');
export const purchaseOrder = Reference.make('PO-2025-001');
export const deliveryNote = Reference.make('DN-77');

/** The id of the command under test, unless a specification names another. */
export const whenId = CommandId.make('cmd-when');

/** Levels as events carry them. */
export const levels = (onHand: number, reserved = 0, safetyStock = 0): StockLevels => ({ onHand, reserved, safetyStock });

/** The levels of `location` in `state`, in the shape events carry. */
export const levelsAt = (state: SkuState, location: LocationId): StockLevels => {
  const { onHand, reserved, safetyStock, allocated, blocked } = positionAt(state, location);
  return withBlocked(withAllocated({ onHand, reserved, safetyStock }, allocated ?? 0), blocked ?? 0);
};

// ---- given: past events ---------------------------------------------------------------------

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A past event without its levels (filled in by `given`) and with an optional command id. */
export type Fact = Without<Event, 'before' | 'after' | 'commandId'> & { readonly commandId?: CommandId };

interface FactOptions {
  /** Seconds after `t0`. */
  readonly at?: number;
  readonly location?: LocationId;
  readonly actor?: Actor;
  readonly commandId?: string;
}

const factMeta = (o: FactOptions) => ({
  actor: o.actor ?? clerk,
  at: after(o.at ?? 0),
  sku,
  location: o.location ?? main,
  ...(o.commandId === undefined ? {} : { commandId: CommandId.make(o.commandId) }),
});

/** The state a SKU reaches through `facts`; a fact without a command id gets `given-<n>`. */
export const given = (...facts: ReadonlyArray<Fact>): SkuState =>
  facts.reduce<SkuState>((state, fact, i) => {
    const before = levelsAt(state, fact.location);
    // evolve recomputes every movement from the event's quantities and never reads its levels.
    const event: Event = { ...fact, commandId: fact.commandId ?? CommandId.make(`given-${i + 1}`), before, after: before };
    return evolve(state, event);
  }, initialState(sku));

export const restocked = (qty: number, o: FactOptions = {}): Fact => ({
  _tag: 'StockRestocked',
  ...factMeta(o),
  reference: purchaseOrder,
  reason: 'restock',
  qty: Quantity.make(qty),
});

export const reserved = (id: ReservationId, qty: number, o: FactOptions & { readonly ttlSeconds?: number } = {}): Fact => ({
  _tag: 'StockReserved',
  ...factMeta({ actor: shop, ...o }),
  reason: 'checkout',
  reservationId: id,
  qty: Quantity.make(qty),
  expiresAt: after((o.at ?? 0) + (o.ttlSeconds ?? DefaultTtlSeconds)),
});

export const committed = (id: ReservationId, qty: number, o: FactOptions = {}): Fact => ({
  _tag: 'ReservationCommitted',
  ...factMeta({ actor: shop, ...o }),
  reason: 'payment_captured',
  reservationId: id,
  qty: Quantity.make(qty),
});

export const released = (id: ReservationId, qty: number, reason: ReleaseReason, o: FactOptions = {}): Fact => ({
  _tag: 'ReservationReleased',
  ...factMeta({ actor: shop, ...o }),
  reason,
  reservationId: id,
  qty: Quantity.make(qty),
});

export const expired = (id: ReservationId, qty: number, o: FactOptions = {}): Fact => ({
  _tag: 'ReservationExpired',
  ...factMeta({ actor: timer, ...o }),
  reason: 'expired',
  reservationId: id,
  qty: Quantity.make(qty),
});

/** Moves a hold's expiry to `expiresAtSeconds` after `t0`. */
export const extended = (id: ReservationId, previousSeconds: number, expiresAtSeconds: number, o: FactOptions = {}): Fact => ({
  _tag: 'ReservationExtended',
  ...factMeta({ actor: shop, ...o }),
  reason: 'extended',
  reservationId: id,
  previousExpiresAt: after(previousSeconds),
  expiresAt: after(expiresAtSeconds),
});

export const sold = (qty: number, o: FactOptions = {}): Fact => ({
  _tag: 'SaleRecorded',
  ...factMeta({ actor: shop, ...o }),
  reference: Reference.make(order),
  reason: 'order_completed',
  orderId: order,
  qty: Quantity.make(qty),
});

export const policySet = (safetyStock: number, lowStockThreshold: number | null, o: FactOptions = {}): Fact => ({
  _tag: 'StockPolicySet',
  ...factMeta(o),
  reason: 'policy',
  safetyStock: Units.make(safetyStock),
  lowStockThreshold: lowStockThreshold === null ? null : Units.make(lowStockThreshold),
  previousLowStockThreshold: null,
});

// ---- when: commands -------------------------------------------------------------------------

interface Envelope {
  readonly commandId?: string;
  readonly actor?: Actor;
  /** Seconds after `t0`. */
  readonly at?: number;
}

const envelope = (o: Envelope) => ({
  commandId: o.commandId === undefined ? whenId : CommandId.make(o.commandId),
  actor: o.actor ?? shop,
  now: after(o.at ?? 0),
  sku,
});

const placed = (location: LocationId | undefined) => (location === undefined ? {} : { location });

export const reserve = (
  o: Envelope & {
    readonly reservationId?: ReservationId;
    readonly qty?: number;
    readonly ttlSeconds?: number;
    readonly location?: LocationId;
    readonly orderId?: OrderId;
    readonly customerId?: CustomerId;
  } = {},
): ReserveStock => ({
  _tag: 'ReserveStock',
  ...envelope(o),
  ...placed(o.location),
  reservationId: o.reservationId ?? r1,
  qty: Quantity.make(o.qty ?? 1),
  ttlSeconds: TtlSeconds.make(o.ttlSeconds ?? DefaultTtlSeconds),
  ...(o.orderId === undefined ? {} : { orderId: o.orderId }),
  ...(o.customerId === undefined ? {} : { customerId: o.customerId }),
});

export const commit = (o: Envelope & { readonly reservationId?: ReservationId; readonly reference?: Reference } = {}): CommitReservation => ({
  _tag: 'CommitReservation',
  ...envelope(o),
  reservationId: o.reservationId ?? r1,
  ...(o.reference === undefined ? {} : { reference: o.reference }),
});

export const release = (o: Envelope & { readonly reservationId?: ReservationId; readonly reason?: ReleaseReason } = {}): ReleaseReservation => ({
  _tag: 'ReleaseReservation',
  ...envelope(o),
  reservationId: o.reservationId ?? r1,
  reason: o.reason ?? 'cancelled',
});

export const extend = (o: Envelope & { readonly reservationId?: ReservationId; readonly ttlSeconds?: number } = {}): ExtendReservation => ({
  _tag: 'ExtendReservation',
  ...envelope(o),
  reservationId: o.reservationId ?? r1,
  ttlSeconds: TtlSeconds.make(o.ttlSeconds ?? DefaultTtlSeconds),
});

export const expire = (o: Envelope & { readonly reservationId?: ReservationId } = {}): ExpireReservation => ({
  _tag: 'ExpireReservation',
  ...envelope({ actor: timer, ...o }),
  reservationId: o.reservationId ?? r1,
});

export const recordSale = (o: Envelope & { readonly qty?: number; readonly location?: LocationId; readonly orderId?: OrderId } = {}): RecordSale => ({
  _tag: 'RecordSale',
  ...envelope(o),
  ...placed(o.location),
  orderId: o.orderId ?? order,
  qty: Quantity.make(o.qty ?? 1),
});

export const restock = (o: Envelope & { readonly qty?: number; readonly location?: LocationId; readonly reference?: Reference } = {}): Restock => ({
  _tag: 'Restock',
  ...envelope({ actor: clerk, ...o }),
  ...placed(o.location),
  qty: Quantity.make(o.qty ?? 1),
  reference: o.reference ?? purchaseOrder,
});

export const adjust = (
  o: Envelope & { readonly delta?: number; readonly reason?: AdjustReason; readonly location?: LocationId; readonly reference?: Reference } = {},
): AdjustStock => ({
  _tag: 'AdjustStock',
  ...envelope({ actor: clerk, ...o }),
  ...placed(o.location),
  delta: Delta.make(o.delta ?? -1),
  reason: o.reason ?? 'damaged',
  reference: o.reference ?? Reference.make('COUNT-1'),
});

export const count = (
  o: Envelope & { readonly counted?: number; readonly location?: LocationId; readonly reference?: Reference; readonly expectedOnHand?: number } = {},
): CountStock => ({
  _tag: 'CountStock',
  ...envelope({ actor: clerk, ...o }),
  ...placed(o.location),
  counted: Units.make(o.counted ?? 0),
  reference: o.reference ?? Reference.make('STOCKTAKE-1'),
  ...(o.expectedOnHand === undefined ? {} : { expectedOnHand: o.expectedOnHand }),
});

export const receiveReturn = (
  o: Envelope & { readonly qty?: number; readonly restockable?: boolean; readonly location?: LocationId; readonly reference?: Reference } = {},
): ReceiveReturn => ({
  _tag: 'ReceiveReturn',
  ...envelope({ actor: clerk, ...o }),
  ...placed(o.location),
  orderId: order,
  qty: Quantity.make(o.qty ?? 1),
  restockable: o.restockable ?? true,
  reference: o.reference ?? Reference.make('RMA-9'),
});

export const setPolicy = (
  o: Envelope & { readonly safetyStock?: number; readonly lowStockThreshold?: number; readonly location?: LocationId } = {},
): SetStockPolicy => ({
  _tag: 'SetStockPolicy',
  ...envelope({ actor: clerk, ...o }),
  ...placed(o.location),
  ...(o.safetyStock === undefined ? {} : { safetyStock: Units.make(o.safetyStock) }),
  ...(o.lowStockThreshold === undefined ? {} : { lowStockThreshold: Units.make(o.lowStockThreshold) }),
});

// ---- then: reading a decision ---------------------------------------------------------------

/** The events of an accepted decision; fails the test on a rejection. */
export const eventsOf = (decision: Decision): ReadonlyArray<Event> =>
  Either.getOrThrowWith(decision, (rejection) => new Error(`expected events, got ${JSON.stringify(rejection)}`));

/** The rejection of a refused decision; fails the test on events. */
export const rejectionOf = (decision: Decision): Rejection =>
  Either.getOrThrowWith(Either.flip(decision), (events) => new Error(`expected a rejection, got ${JSON.stringify(events)}`));

/**
 * What a hold's requester is told: the rejection, or — for a hold refused for want of stock, which the
 * decider records as a `ReservationRefused` event — the `InsufficientStock` the actor answers with.
 */
export const refusalOf = (decision: Decision): Rejection =>
  Either.match(decision, {
    onLeft: (rejection) => rejection,
    onRight: (events) => {
      const [event] = events;
      if (events.length !== 1 || event?._tag !== 'ReservationRefused') throw new Error(`expected a refusal, got ${JSON.stringify(events)}`);
      return { _tag: 'InsufficientStock', sku: event.sku, location: event.location, requested: event.requested, available: event.available };
    },
  });

// ---- comparing states -----------------------------------------------------------------------

const byKey = <V>(entries: ReadonlyArray<readonly [string, V]>): ReadonlyArray<readonly [string, V]> =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The snapshot form of a state with every map's entries sorted: HashMap order is not insertion order. */
export const canonical = (state: SkuState): EncodedSkuState => {
  const encoded = encodeState(state);
  return {
    ...encoded,
    open: byKey(encoded.open),
    closed: { ...encoded.closed, current: byKey(encoded.closed.current), previous: byKey(encoded.closed.previous) },
    commands: { ...encoded.commands, current: byKey(encoded.commands.current), previous: byKey(encoded.commands.previous) },
    drops: Object.fromEntries(
      Object.entries(encoded.drops ?? {}).map(([id, d]) => [id, { ...d, customers: byKey(d.customers), refusedCustomers: byKey(d.refusedCustomers) }]),
    ),
  };
};
