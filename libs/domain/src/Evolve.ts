// evolve(state, event): the next state of a SKU. Total and pure; it recomputes every movement
// from the event's own quantities (never copies `after`), so a test can check one against the other.
import { absurd, HashMap, Option } from 'effect';
import type { Event } from './Events.js';
import { remember } from './Generations.js';
import type { LocationId, ReservationId } from './Ids.js';
import { ClosedReservationMemoryMs, CommandMemoryMs } from './Retention.js';
import type { ReservationStatus } from './ReservationStatus.js';
import { positionAt, type Position, type Reservation, type SkuState } from './State.js';

const move = (state: SkuState, location: LocationId, change: (p: Position) => Position): SkuState => ({
  ...state,
  positions: { ...state.positions, [location]: change(positionAt(state, location)) },
});

const close = (state: SkuState, id: ReservationId, status: ReservationStatus, at: Event['at']): SkuState =>
  Option.match(HashMap.get(state.open, id), {
    onNone: () => state,
    onSome: (r): SkuState => ({
      ...state,
      open: HashMap.remove(state.open, id),
      closed: remember(state.closed, id, { ...r, status, closedAt: at }, at, ClosedReservationMemoryMs),
    }),
  });

const apply = (state: SkuState, event: Event): SkuState => {
  switch (event._tag) {
    case 'StockReserved': {
      const hold: Reservation = {
        reservationId: event.reservationId,
        location: event.location,
        qty: event.qty,
        expiresAt: event.expiresAt,
        status: 'held',
        createdAt: event.at,
        closedAt: null,
        orderId: event.orderId ?? null,
        customerId: event.customerId ?? null,
      };
      const moved = move(state, event.location, (p) => ({ ...p, reserved: p.reserved + event.qty }));
      return { ...moved, open: HashMap.set(moved.open, event.reservationId, hold) };
    }
    case 'ReservationRefused':
      return {
        ...state,
        refused: remember(
          state.refused,
          event.reservationId,
          { qty: event.requested, location: event.location, available: event.available },
          event.at,
          ClosedReservationMemoryMs,
        ),
      };
    case 'ReservationCommitted':
      return close(
        move(state, event.location, (p) => ({ ...p, onHand: p.onHand - event.qty, reserved: p.reserved - event.qty })),
        event.reservationId,
        'committed',
        event.at,
      );
    case 'ReservationReleased':
      return close(
        move(state, event.location, (p) => ({ ...p, reserved: p.reserved - event.qty })),
        event.reservationId,
        'released',
        event.at,
      );
    case 'ReservationExpired':
      return close(
        move(state, event.location, (p) => ({ ...p, reserved: p.reserved - event.qty })),
        event.reservationId,
        'expired',
        event.at,
      );
    case 'ReservationExtended':
      return {
        ...state,
        open: HashMap.modify(state.open, event.reservationId, (r) => ({ ...r, expiresAt: event.expiresAt })),
      };
    case 'SaleRecorded':
      return move(state, event.location, (p) => ({ ...p, onHand: p.onHand - event.qty }));
    case 'ShortfallRecorded':
      return state;
    case 'StockRestocked':
      return move(state, event.location, (p) => ({ ...p, onHand: p.onHand + event.qty }));
    case 'StockAdjusted':
      return move(state, event.location, (p) => ({ ...p, onHand: p.onHand + event.delta }));
    case 'ReturnReceived':
      return event.restockable ? move(state, event.location, (p) => ({ ...p, onHand: p.onHand + event.qty })) : state;
    case 'StockPolicySet':
      return move(state, event.location, (p) => ({
        ...p,
        safetyStock: event.safetyStock,
        lowStockThreshold: event.lowStockThreshold,
      }));
    default:
      return absurd<SkuState>(event);
  }
};

export const evolve = (state: SkuState, event: Event): SkuState => {
  const next = apply(state, event);
  return {
    ...next,
    version: state.version + 1,
    commands: remember(next.commands, event.commandId, event.at, event.at, CommandMemoryMs),
  };
};

export const fold = (state: SkuState, events: Iterable<Event>): SkuState => {
  let s = state;
  for (const e of events) s = evolve(s, e);
  return s;
};
