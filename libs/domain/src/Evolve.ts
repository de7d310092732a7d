// evolve(state, event): the next state of a SKU. Total and pure; it recomputes every movement
// from the event's own quantities (never copies `after`), so a test can check one against the other.
import { absurd, HashMap, Option } from 'effect';
import type { Event } from './Events.js';
import { remember } from './Generations.js';
import type { DropId, LocationId, ReservationId } from './Ids.js';
import { ClosedReservationMemoryMs, CommandMemoryMs } from './Retention.js';
import type { ReservationStatus } from './ReservationStatus.js';
import { countCustomer, countRefusal, newDrop, type DropPosition } from './Drops/DropPosition.js';
import { addShelfHeld, positionAt, type Position, type Reservation, type SkuState } from './State.js';
import { allocatedOf, withAllocated } from './StockLevels.js';
import { applyLots } from './Lots/EvolveLots.js';

const move = (state: SkuState, location: LocationId, change: (p: Position) => Position): SkuState => ({
  ...state,
  positions: { ...state.positions, [location]: change(positionAt(state, location)) },
});

/** Ring-fences `units` more (or fewer, if negative) at a location. */
const allocate = (p: Position, units: number): Position => withAllocated(p, allocatedOf(p) + units);

const changeDrop = (state: SkuState, id: DropId, change: (d: DropPosition) => DropPosition): SkuState => {
  const drop = state.drops[id];
  return drop === undefined ? state : { ...state, drops: { ...state.drops, [id]: change(drop) } };
};

/** A drop hold ending (released or expired): its units leave the drop's count, and its allocation while open. */
const freeDropHold = (state: SkuState, id: ReservationId, event: { readonly location: LocationId; readonly qty: number }): SkuState => {
  const hold = Option.getOrUndefined(HashMap.get(state.open, id));
  const drop = hold?.dropId == null ? undefined : state.drops[hold.dropId];
  if (hold === undefined || drop === undefined) return move(state, event.location, (p) => ({ ...p, reserved: p.reserved - event.qty }));
  const moved = move(state, event.location, (p) => allocate({ ...p, reserved: p.reserved - event.qty }, drop.closedAt === null ? event.qty : 0));
  return changeDrop(moved, drop.dropId, (d) => {
    const counted = hold.customerId === null ? d : countCustomer(d, hold.customerId, -event.qty);
    return { ...counted, held: d.held - event.qty };
  });
};

const close = (state: SkuState, id: ReservationId, status: ReservationStatus, at: Event['at'], lots?: Reservation['lots']): SkuState =>
  Option.match(HashMap.get(state.open, id), {
    onNone: () => state,
    onSome: (hold): SkuState => {
      const r = lots === undefined ? hold : { ...hold, lots };
      return {
      ...state,
      ...(r.sellableFrom === null ? {} : { shelfHeld: addShelfHeld(state.shelfHeld, r.location, r.sellableFrom, -r.qty) }),
      open: HashMap.remove(state.open, id),
      closed: remember(state.closed, id, { ...r, status, closedAt: at }, at, ClosedReservationMemoryMs),
      };
    },
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
        dropId: event.dropId ?? null,
        channel: event.channel ?? null,
        sellableFrom: event.sellableFrom ?? null,
      };
      const { dropId, customerId } = event;
      const fromDrop = dropId === undefined ? 0 : event.qty;
      const moved = move(state, event.location, (p) => allocate({ ...p, reserved: p.reserved + event.qty }, -fromDrop));
      const counted =
        dropId === undefined
          ? moved
          : changeDrop(moved, dropId, (d) => {
              const held = { ...d, held: d.held + event.qty };
              return customerId === undefined ? held : countCustomer(held, customerId, event.qty);
            });
      const shelfHeld = event.sellableFrom === undefined ? counted.shelfHeld : addShelfHeld(counted.shelfHeld, event.location, event.sellableFrom, event.qty);
      return { ...counted, shelfHeld, open: HashMap.set(counted.open, event.reservationId, hold) };
    }
    case 'ReservationRefused': {
      const { dropId, customerId } = event;
      const remembered: SkuState = {
        ...state,
        refused: remember(
          state.refused,
          event.reservationId,
          {
            qty: event.requested,
            location: event.location,
            available: event.available,
            ...(dropId === undefined ? {} : { dropId }),
            ...(event.reason === 'insufficient_stock' ? {} : { reason: event.reason }),
          },
          event.at,
          ClosedReservationMemoryMs,
        ),
      };
      if (dropId === undefined || customerId === undefined) return remembered;
      // Lost demand: refused for want of the allocation, or turned away from a drop that had sold out.
      return changeDrop(remembered, dropId, (d) =>
        event.reason === 'insufficient_stock' || (event.reason === 'drop_closed' && d.soldOutAt !== null) ? countRefusal(d, customerId, event.requested) : d,
      );
    }
    case 'ReservationCommitted': {
      const dropId = Option.getOrUndefined(HashMap.get(state.open, event.reservationId))?.dropId ?? null;
      const moved = move(state, event.location, (p) => ({ ...p, onHand: p.onHand - event.qty, reserved: p.reserved - event.qty }));
      const counted = dropId === null ? moved : changeDrop(moved, dropId, (d) => ({ ...d, held: d.held - event.qty, committed: d.committed + event.qty }));
      return close(counted, event.reservationId, 'committed', event.at, event.lots);
    }
    case 'ReservationReleased':
      return close(freeDropHold(state, event.reservationId, event), event.reservationId, 'released', event.at);
    case 'ReservationExpired':
      return close(freeDropHold(state, event.reservationId, event), event.reservationId, 'expired', event.at);
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
    case 'StockCounted':
      // A count of one lot moves on hand by its difference; a count of the location sets it.
      return move(state, event.location, (p) => ({ ...p, onHand: event.lot === undefined ? event.counted : p.onHand + event.difference }));
    case 'ReturnReceived':
      return event.restockable ? move(state, event.location, (p) => ({ ...p, onHand: p.onHand + event.qty })) : state;
    case 'StockPolicySet':
      return move(state, event.location, (p) => ({
        ...p,
        safetyStock: event.safetyStock,
        lowStockThreshold: event.lowStockThreshold,
      }));
    case 'DropAllocated': {
      const moved = move(state, event.location, (p) => allocate(p, event.added));
      const terms = { opensAt: event.opensAt, closesAt: event.closesAt, limitPerCustomer: event.limitPerCustomer, allocation: event.allocation };
      const drop = state.drops[event.dropId];
      const next = drop === undefined ? newDrop({ dropId: event.dropId, location: event.location, ...terms }) : { ...drop, ...terms };
      return { ...moved, drops: { ...moved.drops, [event.dropId]: next } };
    }
    case 'DropWithdrawn': {
      const moved = move(state, event.location, (p) => allocate(p, -event.returned));
      const { [event.dropId]: _, ...drops } = moved.drops;
      return { ...moved, drops };
    }
    case 'DropOpened':
      return changeDrop(state, event.dropId, (d) => ({ ...d, openedAt: event.at }));
    case 'DropSoldOut':
      return changeDrop(state, event.dropId, (d) => ({ ...d, soldOutAt: event.at }));
    case 'DropClosed':
      return changeDrop(
        move(state, event.location, (p) => allocate(p, -event.returned)),
        event.dropId,
        (d) => ({ ...d, closedAt: event.at, returned: event.returned }),
      );
    case 'LotQuarantined':
    case 'LotReleased':
    case 'LotExpiring':
    case 'LotRemovedFromSale':
      // Lot bookkeeping only (applyLots).
      return state;
    default:
      return absurd<SkuState>(event);
  }
};

export const evolve = (state: SkuState, event: Event): SkuState => {
  const next = applyLots(apply(state, event), event);
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
