// The drop rules of DESIGN.md §10 for one SKU: ring-fence an allocation from available stock, let a
// customer hold from it only while the drop is open and within their limit, and give the unsold
// units back to general stock in one event at the close. Pure, like `decide`.
import { Option } from 'effect';
import type * as C from '../Commands.js';
import { accept, type Decision, levelsOf, meta, nothing, refuse } from '../Decision.js';
import { sellableFrom } from '../Lots/Lot.js';
import type * as E from '../Events.js';
import type { Event } from '../Events.js';
import { DefaultLocation, type CustomerId, type DropId, type Sku } from '../Ids.js';
import { EpochMillis, plusSeconds } from '../Quantities.js';
import type { Rejection } from '../Rejections.js';
import { findDrop, type Refusal, type RefusalReason, type Reservation, type SkuState } from '../State.js';
import { allocatedOf, available, unheld, withAllocated, type StockLevels } from '../StockLevels.js';
import { countOf, phaseAt, remainingOf, type DropPosition } from './DropPosition.js';

/** The levels once an open hold is released or expires: a drop hold's units go back to its allocation while it is not closed. */
export const levelsAfterFreeing = (state: SkuState, r: Reservation, before: StockLevels): StockLevels => {
  const freed = { ...before, reserved: before.reserved - r.qty };
  const drop = r.dropId === null ? undefined : findDrop(state, r.dropId);
  return drop === undefined || drop.closedAt !== null ? freed : withAllocated(freed, allocatedOf(before) + r.qty);
};

/** The rejection a recorded refusal stands for: what its requester hears, now and on every retry. */
export const rejectionOfRefusal = (
  asked: { readonly sku: Sku; readonly qty: number; readonly customerId: CustomerId | undefined },
  refusal: Refusal,
  state: SkuState,
): Rejection => {
  const { sku, qty, customerId } = asked;
  const dropId = refusal.dropId;
  const drop = dropId === undefined ? undefined : findDrop(state, dropId);
  if (dropId === undefined || refusal.reason === undefined || refusal.reason === 'insufficient_stock') {
    return { _tag: 'InsufficientStock', sku, location: refusal.location, requested: qty, available: refusal.available, ...(dropId === undefined ? {} : { dropId }) };
  }
  switch (refusal.reason) {
    case 'drop_not_open':
      return { _tag: 'DropNotOpen', sku, dropId, opensAt: drop?.opensAt ?? EpochMillis.make(0) };
    case 'limit_exceeded':
      if (customerId === undefined) return { _tag: 'CustomerRequired', sku, dropId };
      return { _tag: 'LimitExceeded', sku, dropId, customerId, requested: qty, allowed: refusal.available, limitPerCustomer: drop?.limitPerCustomer ?? 0 };
    case 'drop_closed':
      return { _tag: 'DropAlreadyClosed', sku, dropId };
  }
};

/** The rejection a `ReservationRefused` event answers its requester with. */
export const rejectionOfRefused = (event: E.ReservationRefused, state: SkuState): Rejection =>
  rejectionOfRefusal(
    { sku: event.sku, qty: event.requested, customerId: event.customerId },
    {
      qty: event.requested,
      location: event.location,
      available: event.available,
      ...(event.dropId === undefined ? {} : { dropId: event.dropId }),
      ...(event.reason === 'insufficient_stock' ? {} : { reason: event.reason }),
    },
    state,
  );

/** The drop's opening, recorded by the first decision at or after `opensAt` (before that decision's own events). */
const openingIfDue = (c: C.Command, state: SkuState, drop: DropPosition): ReadonlyArray<E.DropOpened> => {
  if (drop.openedAt !== null || drop.closedAt !== null || c.now < drop.opensAt) return [];
  const levels = levelsOf(state, drop.location);
  return [{ _tag: 'DropOpened', ...meta(c, drop.location, levels, levels), reason: 'drop_opened', dropId: drop.dropId }];
};

const refusal = (
  c: C.ReserveStock,
  state: SkuState,
  drop: DropPosition,
  reason: RefusalReason,
  free: number,
  opening: ReadonlyArray<Event>,
): Decision => {
  const levels = levelsOf(state, drop.location);
  return accept(...opening, {
    _tag: 'ReservationRefused',
    ...meta(c, drop.location, levels, levels),
    reason,
    reservationId: c.reservationId,
    requested: c.qty,
    available: free,
    dropId: drop.dropId,
    ...(c.customerId === undefined ? {} : { customerId: c.customerId }),
  });
};

/**
 * A hold in a drop. In this order: the SKU must be in the drop and the hold name its customer (plain
 * rejections); then recorded refusals — before `opensAt`, after the close, beyond the customer's limit,
 * beyond what is left of the allocation (or of the physical stock under it). Held: the units move from
 * the allocation to `reserved`, and the hold that takes the last free unit records the sell-out.
 */
export const reserveInDrop = (c: C.ReserveStock, dropId: DropId, state: SkuState): Decision => {
  const drop = findDrop(state, dropId);
  if (drop === undefined || (c.location !== undefined && c.location !== drop.location)) return refuse({ _tag: 'NotInDrop', sku: c.sku, dropId });
  const customer = c.customerId;
  if (customer === undefined) return refuse({ _tag: 'CustomerRequired', sku: c.sku, dropId });
  const phase = phaseAt(drop, c.now);
  if (phase === 'scheduled') return refusal(c, state, drop, 'drop_not_open', 0, []);
  const opening = openingIfDue(c, state, drop);
  if (phase === 'closed') return refusal(c, state, drop, 'drop_closed', 0, opening);
  const allowed = Math.max(0, drop.limitPerCustomer - countOf(drop, customer));
  if (c.qty > allowed) return refusal(c, state, drop, 'limit_exceeded', allowed, opening);
  const before = levelsOf(state, drop.location);
  const remaining = remainingOf(drop);
  const free = Math.min(remaining, unheld(before));
  if (c.qty > free) return refusal(c, state, drop, 'insufficient_stock', free, opening);
  const after = withAllocated({ ...before, reserved: before.reserved + c.qty }, allocatedOf(before) - c.qty);
  const held: E.StockReserved = {
    _tag: 'StockReserved',
    ...meta(c, drop.location, before, after),
    reason: 'checkout',
    reservationId: c.reservationId,
    qty: c.qty,
    expiresAt: plusSeconds(c.now, c.ttlSeconds),
    ...(c.orderId === undefined ? {} : { orderId: c.orderId }),
    customerId: customer,
    dropId,
    // Its channel's shelf life decides the lots its commit may take, as for any hold.
    ...(c.channel === undefined ? {} : { channel: c.channel, sellableFrom: sellableFrom(c.now, c.channel) }),
  };
  const soldOut: ReadonlyArray<E.DropSoldOut> =
    remaining === c.qty && drop.soldOutAt === null ? [{ _tag: 'DropSoldOut', ...meta(c, drop.location, after, after), reason: 'drop_sold_out', dropId }] : [];
  return accept(...opening, held, ...soldOut);
};

/** Why a change of a drop's terms is not allowed, if it is not. */
const changeRefused = (c: C.AllocateDrop, drop: DropPosition): Option.Option<string> => {
  const sold = drop.held + drop.committed;
  if (c.revert === true) return c.allocation < sold ? Option.some(`${sold} units are already held or sold`) : Option.none();
  if (phaseAt(drop, c.now) === 'scheduled') return Option.none();
  if (c.opensAt !== drop.opensAt) return Option.some('the drop is open: its opening time can no longer move');
  if (c.allocation < drop.allocation) return Option.some(`the drop is open: its allocation can be raised, not lowered below ${drop.allocation}`);
  if (c.limitPerCustomer < drop.limitPerCustomer) return Option.some(`the drop is open: its limit per customer can be raised, not lowered below ${drop.limitPerCustomer}`);
  return Option.none();
};

/**
 * Ring-fences a drop's allocation, or changes its terms: every unit added comes from available stock
 * (refused as insufficient if not there, nothing taken); an open drop may only be raised or its close moved.
 */
export const allocateDrop = (c: C.AllocateDrop, state: SkuState): Decision => {
  const existing = findDrop(state, c.dropId);
  const location = existing?.location ?? c.location ?? DefaultLocation;
  const refuseChange = (why: string) => refuse({ _tag: 'DropChangeRefused', sku: c.sku, dropId: c.dropId, why });
  if (c.closesAt <= c.opensAt) return refuseChange('closesAt must be after opensAt');
  if (existing !== undefined && existing.closedAt !== null) return refuse({ _tag: 'DropAlreadyClosed', sku: c.sku, dropId: c.dropId });
  if (c.revert !== true && c.closesAt <= c.now) return refuseChange('closesAt is already past');
  if (existing !== undefined) {
    const same =
      existing.opensAt === c.opensAt && existing.closesAt === c.closesAt && existing.allocation === c.allocation && existing.limitPerCustomer === c.limitPerCustomer;
    if (same) return nothing;
    const why = changeRefused(c, existing);
    if (Option.isSome(why)) return refuseChange(why.value);
  }
  const previousAllocation = existing?.allocation ?? 0;
  const added = c.allocation - previousAllocation;
  const before = levelsOf(state, location);
  const free = available(before);
  if (added > free) return refuse({ _tag: 'InsufficientStock', sku: c.sku, location, requested: added, available: free, dropId: c.dropId });
  const after = withAllocated(before, allocatedOf(before) + added);
  return accept({
    _tag: 'DropAllocated',
    ...meta(c, location, before, after),
    reason: c.revert === true ? 'drop_reverted' : 'drop_allocated',
    dropId: c.dropId,
    opensAt: c.opensAt,
    closesAt: c.closesAt,
    allocation: c.allocation,
    previousAllocation,
    added,
    limitPerCustomer: c.limitPerCustomer,
  });
};

/** Takes back a drop this SKU joined when another SKU of it refused; one that already sold closes instead. */
export const withdrawDrop = (c: C.WithdrawDrop, state: SkuState): Decision => {
  const drop = findDrop(state, c.dropId);
  if (drop === undefined || drop.closedAt !== null) return nothing;
  if (drop.held + drop.committed > 0) return closeDrop({ ...c, _tag: 'CloseDrop', reason: 'closed_by_operator' }, state);
  const before = levelsOf(state, drop.location);
  const returned = remainingOf(drop);
  const after = withAllocated(before, allocatedOf(before) - returned);
  return accept({ _tag: 'DropWithdrawn', ...meta(c, drop.location, before, after), reason: 'drop_withdrawn', dropId: c.dropId, returned });
};

/** The timer's opening at `opensAt` (no-op if already recorded, closed, or not due). */
export const openDrop = (c: C.OpenDrop, state: SkuState): Decision => {
  const drop = findDrop(state, c.dropId);
  return drop === undefined ? refuse({ _tag: 'NotInDrop', sku: c.sku, dropId: c.dropId }) : accept(...openingIfDue(c, state, drop));
};

/**
 * Closes the drop here: the unsold allocation goes back to general stock as one event; open holds
 * finish normally (their units then go to general stock). The timer's close before `closesAt` does nothing.
 */
export const closeDrop = (c: C.CloseDrop, state: SkuState): Decision => {
  const drop = findDrop(state, c.dropId);
  if (drop === undefined) return refuse({ _tag: 'NotInDrop', sku: c.sku, dropId: c.dropId });
  if (drop.closedAt !== null) return nothing;
  if (c.reason === 'closes_at' && c.now < drop.closesAt) return nothing;
  const before = levelsOf(state, drop.location);
  const returned = remainingOf(drop);
  const after = withAllocated(before, allocatedOf(before) - returned);
  return accept(...openingIfDue(c, state, drop), { _tag: 'DropClosed', ...meta(c, drop.location, before, after), reason: c.reason, dropId: c.dropId, returned });
};
