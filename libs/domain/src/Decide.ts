// decide(command, state): the events a command causes, or the fact that refuses it. Total and
// pure: time comes in the command, and a command id already seen decides nothing (no second effect).
import { absurd, Either, Option } from 'effect';
import type * as C from './Commands.js';
import type { Command } from './Commands.js';
import type * as E from './Events.js';
import { DefaultLocation, Reference, type LocationId } from './Ids.js';
import { EpochMillis, plusSeconds, Quantity, Units } from './Quantities.js';
import type { Rejection } from './Rejections.js';
import { accept, type Decision, levelsOf, meta, nothing, refuse } from './Decision.js';
import { allocateDrop, closeDrop, levelsAfterFreeing, rejectionOfRefusal, openDrop, reserveInDrop, withdrawDrop } from './Drops/DecideDrop.js';
import { chooseLocation } from './Locations/ChooseLocation.js';
import { checkLots, lotsDue, quarantineLot, releaseLot } from './Lots/DecideLots.js';
import { evolve } from './Evolve.js';
import { CalendarDate, sellableFrom, type LotCode } from './Lots/Lot.js';
import { assignLots, availableOnShelf, isOutOfSale, shelfStockOf, type LotAssignment } from './Lots/LotStock.js';
import type { LotTake } from './Events.js';
import { findRefusal, findReservation, hasSeen, positionAt, type Reservation, type SkuState } from './State.js';
import { available, blockedOf, shortfallOf, withBlocked, type StockLevels } from './StockLevels.js';
import { unlottedAt } from './Lots/LotStock.js';

const unlottedUnits = (state: SkuState, location: LocationId, onHand: number) => unlottedAt(state.lots, location, onHand);

export type { Decision } from './Decision.js';

/** Why a hold that is not open refuses a change. */
const closedRefusal = (command: Command, r: Reservation): Rejection => {
  const ids = { sku: command.sku, reservationId: r.reservationId };
  switch (r.status) {
    case 'committed':
      return { _tag: 'ReservationAlreadyCommitted', ...ids };
    case 'released':
      return { _tag: 'ReservationAlreadyReleased', ...ids };
    case 'expired':
    case 'held':
      return { _tag: 'ReservationAlreadyExpired', ...ids, expiresAt: r.expiresAt };
    default:
      return absurd<Rejection>(r.status);
  }
};

/** Applies `then` to the hold the command names, or says it is unknown. */
const withReservation = (
  command: C.CommitReservation | C.ReleaseReservation | C.ExtendReservation | C.ExpireReservation,
  state: SkuState,
  then: (r: Reservation) => Decision,
): Decision =>
  Option.match(findReservation(state, command.reservationId), {
    onNone: () => refuse({ _tag: 'UnknownReservation', sku: command.sku, reservationId: command.reservationId }),
    onSome: then,
  });

/** A hold refused under this id before, asked again (a retry): the same refusal, whatever the stock is now; other terms conflict. */
const refusedBefore = (c: C.ReserveStock, state: SkuState): Option.Option<Decision> =>
  Option.map(findRefusal(state, c.reservationId), (refusal) => {
    // A line without a location was refused wherever it looked: its retry is the same line.
    const same = refusal.qty === c.qty && refusal.dropId === c.dropId && (c.dropId !== undefined || c.location === undefined || refusal.location === c.location);
    if (!same) return refuse({ _tag: 'ReservationIdConflict', sku: c.sku, reservationId: c.reservationId });
    return refuse(rejectionOfRefusal({ sku: c.sku, qty: c.qty, customerId: c.customerId }, refusal, state));
  });

const reserve = (c: C.ReserveStock, state: SkuState): Decision => {
  const existing = findReservation(state, c.reservationId);
  if (Option.isSome(existing)) {
    // A retry of the same hold under another command id has no second effect; other terms conflict
    // (a line without a location matches the hold wherever it was placed).
    const r = existing.value;
    const sameLocation = c.location === undefined || r.location === c.location;
    // Another channel is another hold: its shelf life decides which lots it may ship.
    const sameChannel = (c.channel?.channel ?? null) === (r.channel?.channel ?? null);
    const same = r.qty === c.qty && sameChannel && (c.dropId === undefined ? r.dropId === null && sameLocation : r.dropId === c.dropId);
    return same ? nothing : refuse({ _tag: 'ReservationIdConflict', sku: c.sku, reservationId: c.reservationId });
  }
  const refused = refusedBefore(c, state);
  if (Option.isSome(refused)) return refused.value;
  if (c.dropId !== undefined) return reserveInDrop(c, c.dropId, state);
  const from = c.channel === undefined ? null : sellableFrom(c.now, c.channel);
  const freeAt = (at: LocationId) => freeOnShelf(state, at, from);
  const choice = c.location === undefined ? chooseLocation(state, c.qty, c.locations ?? [], freeAt) : undefined;
  const location = c.location ?? (choice?._tag === 'Fills' ? choice.location : (choice?.best ?? DefaultLocation));
  const before = levelsOf(state, location);
  const free = freeAt(location);
  if (c.qty > free) {
    return accept({
      _tag: 'ReservationRefused',
      ...meta(c, location, before, before),
      reason: 'insufficient_stock',
      reservationId: c.reservationId,
      requested: c.qty,
      available: free,
      // Whose want went unmet: lost demand counts a customer once a day, however often they retried.
      ...(c.customerId === undefined ? {} : { customerId: c.customerId }),
    });
  }
  const after = { ...before, reserved: before.reserved + c.qty };
  const event: E.StockReserved = {
    _tag: 'StockReserved',
    ...meta(c, location, before, after),
    reason: 'checkout',
    reservationId: c.reservationId,
    qty: c.qty,
    expiresAt: plusSeconds(c.now, c.ttlSeconds),
    ...(c.orderId === undefined ? {} : { orderId: c.orderId, reference: Reference.make(c.orderId) }),
    ...(c.customerId === undefined ? {} : { customerId: c.customerId }),
    ...(c.channel === undefined || from === null ? {} : { channel: c.channel, sellableFrom: from }),
  };
  return accept(event);
};

/** Units a hold needing lots best before `from` or later may take at a location (any lot: the location's available). */
const freeOnShelf = (state: SkuState, location: LocationId, from: CalendarDate | null): number => {
  const levels = levelsOf(state, location);
  const general = available(levels);
  if (from === null || Object.keys(state.lots).length === 0) return general;
  return availableOnShelf(shelfStockOf(general, state.lots, location, levels.onHand, shelfHoldsAt(state, location)), from);
};

/** The open holds at a location that need a shelf life, as the rule reads them (from the state's running sums). */
const shelfHoldsAt = (state: SkuState, location: LocationId) =>
  // Keys were validated when their holds were placed.
  Object.entries(state.shelfHeld[location] ?? {}).map(([from, qty]) => ({ qty, sellableFrom: CalendarDate.make(from, { disableValidation: true }) }));

/** The lots a commit or sale takes, as event fields (left out when the SKU has no lots). */
const lotFields = (
  state: SkuState,
  assignment: LotAssignment,
): { readonly lots?: ReadonlyArray<LotTake>; readonly unassigned?: Quantity; readonly outOfPolicy?: Quantity } => {
  if (Object.keys(state.lots).length === 0) return {};
  return {
    lots: assignment.lots.map((t) => ({ lot: t.lot, qty: Quantity.make(t.qty) })),
    ...(assignment.unassigned > 0 ? { unassigned: Quantity.make(assignment.unassigned) } : {}),
    ...(assignment.outOfPolicy > 0 ? { outOfPolicy: Quantity.make(assignment.outOfPolicy) } : {}),
  };
};

/** Levels after units leave lots that were out of sale: their blocked units go with them. */
const lessBlocked = (state: SkuState, levels: StockLevels, takes: ReadonlyArray<{ readonly lot: string; readonly qty: number }>): StockLevels => {
  const taken = takes.reduce((sum, t) => sum + (outOfSaleLot(state, t.lot) ? t.qty : 0), 0);
  return taken === 0 ? levels : withBlocked(levels, Math.max(0, blockedOf(levels) - taken));
};

const commit = (c: C.CommitReservation, state: SkuState): Decision =>
  withReservation(c, state, (r) => {
    if (r.status === 'committed') return nothing;
    if (r.status !== 'held' || c.now >= r.expiresAt) return refuse(closedRefusal(c, r));
    const before = levelsOf(state, r.location);
    // First expired, first out, among the lots still sellable on the hold's channel at this ship date.
    const assignment = assignLots(state.lots, r.location, before.onHand, r.qty, r.channel === null ? null : sellableFrom(c.now, r.channel));
    const after = { ...lessBlocked(state, before, assignment.lots), onHand: before.onHand - r.qty, reserved: before.reserved - r.qty };
    return accept({
      _tag: 'ReservationCommitted',
      ...meta(c, r.location, before, after),
      ...(c.reference === undefined ? {} : { reference: c.reference }),
      reason: 'payment_captured',
      reservationId: r.reservationId,
      qty: r.qty,
      ...lotFields(state, assignment),
      ...(r.orderId === null ? {} : { orderId: r.orderId }),
      ...(r.customerId === null ? {} : { customerId: r.customerId }),
      ...(r.channel === null ? {} : { channel: r.channel }),
    });
  });

const release = (c: C.ReleaseReservation, state: SkuState): Decision =>
  withReservation(c, state, (r) => {
    if (r.status === 'released' || r.status === 'expired') return nothing;
    if (r.status === 'committed') return refuse(closedRefusal(c, r));
    const before = levelsOf(state, r.location);
    const after = levelsAfterFreeing(state, r, before);
    return accept({
      _tag: 'ReservationReleased',
      ...meta(c, r.location, before, after),
      reason: c.reason,
      reservationId: r.reservationId,
      qty: r.qty,
    });
  });

const extend = (c: C.ExtendReservation, state: SkuState): Decision =>
  withReservation(c, state, (r) => {
    if (r.status !== 'held' || c.now >= r.expiresAt) return refuse(closedRefusal(c, r));
    const levels = levelsOf(state, r.location);
    return accept({
      _tag: 'ReservationExtended',
      ...meta(c, r.location, levels, levels),
      reason: 'extended',
      reservationId: r.reservationId,
      previousExpiresAt: r.expiresAt,
      // An extension never shortens a hold.
      expiresAt: EpochMillis.make(Math.max(r.expiresAt, plusSeconds(c.now, c.ttlSeconds))),
    });
  });

const expire = (c: C.ExpireReservation, state: SkuState): Decision =>
  withReservation(c, state, (r) => {
    if (r.status !== 'held') return nothing;
    if (c.now < r.expiresAt) return refuse({ _tag: 'ExpiryNotDue', sku: c.sku, reservationId: r.reservationId, expiresAt: r.expiresAt });
    const before = levelsOf(state, r.location);
    const after = levelsAfterFreeing(state, r, before);
    return accept({
      _tag: 'ReservationExpired',
      ...meta(c, r.location, before, after),
      reason: 'expired',
      reservationId: r.reservationId,
      qty: r.qty,
    });
  });

/** The shortfall a physical reduction leaves, as an event that moves nothing; none when covered. */
const shortfall = (
  c: C.RecordSale | C.AdjustStock | C.CountStock,
  location: LocationId,
  before: StockLevels,
  after: StockLevels,
  units: number,
  reason: E.ShortfallRecorded['reason'],
  reference: Reference,
): ReadonlyArray<E.ShortfallRecorded> => {
  const missing = shortfallOf(before, units);
  if (missing === 0) return [];
  return [
    {
      _tag: 'ShortfallRecorded',
      ...meta(c, location, after, after),
      reference,
      reason,
      shortfall: Quantity.make(missing),
    },
  ];
};

/** A sale without a location: the first location (by priority) that covers it, else the first one tried. */
const saleLocation = (c: C.RecordSale, state: SkuState): LocationId => {
  if (c.location !== undefined) return c.location;
  const choice = chooseLocation(state, c.qty, c.locations ?? []);
  return choice._tag === 'Fills' ? choice.location : (c.locations?.[0] ?? (state.positions[DefaultLocation] === undefined ? choice.best : DefaultLocation));
};

const recordSale = (c: C.RecordSale, state: SkuState): Decision => {
  const location = saleLocation(c, state);
  const before = levelsOf(state, location);
  const assignment = assignLots(state.lots, location, before.onHand, c.qty, c.channel === undefined ? null : sellableFrom(c.now, c.channel));
  const after = { ...lessBlocked(state, before, assignment.lots), onHand: before.onHand - c.qty };
  return accept(
    {
      _tag: 'SaleRecorded',
      ...meta(c, location, before, after),
      reference: Reference.make(c.orderId),
      reason: 'order_completed',
      orderId: c.orderId,
      qty: c.qty,
      ...lotFields(state, assignment),
      ...(c.channel === undefined ? {} : { channel: c.channel }),
    },
    ...shortfall(c, location, before, after, c.qty, 'sale_without_stock', Reference.make(c.orderId)),
  );
};

/** A lot code already known with another best-before: refused (a code names one lot). */
const lotMismatch = (c: C.Restock | C.ReceiveReturn, state: SkuState) => {
  if (c.lot === undefined) return undefined;
  const known = state.lots[c.lot.code];
  if (known === undefined || known.bestBefore === c.lot.bestBefore) return undefined;
  return refuse({ _tag: 'LotMismatch', sku: c.sku, lot: c.lot.code, bestBefore: known.bestBefore, given: c.lot.bestBefore });
};

/** Units coming into a lot that is out of sale stay out of sale. */
const blockedAfterIn = (state: SkuState, lot: C.Restock['lot'], before: StockLevels, units: number): StockLevels => {
  const known = lot === undefined ? undefined : state.lots[lot.code];
  return known !== undefined && isOutOfSale(known) ? withBlocked(before, blockedOf(before) + units) : before;
};

const restock = (c: C.Restock, state: SkuState): Decision => {
  const mismatch = lotMismatch(c, state);
  if (mismatch !== undefined) return mismatch;
  const location = c.location ?? DefaultLocation;
  const before = levelsOf(state, location);
  const after = { ...blockedAfterIn(state, c.lot, before, c.qty), onHand: before.onHand + c.qty };
  return accept({ _tag: 'StockRestocked', ...meta(c, location, before, after), reference: c.reference, reason: 'restock', qty: c.qty, ...(c.lot === undefined ? {} : { lot: c.lot }) });
};

/**
 * The lots a reduction of `units` at a location takes when it names none: units without a lot first,
 * then lots first-expired-first (out-of-sale lots too: a written-off unit may be one of them last).
 */
const reductionLots = (state: SkuState, location: LocationId, units: number): ReadonlyArray<LotTake> => {
  if (Object.keys(state.lots).length === 0 || units <= 0) return [];
  // On hand as the lots' units alone: the caller has already taken the units without a lot.
  const lotted = Object.values(state.lots).reduce((sum, l) => sum + Math.max(0, l.units[location] ?? 0), 0);
  return assignLots(state.lots, location, lotted, units, null).lots.map((t) => ({ lot: t.lot, qty: Quantity.make(t.qty) }));
};

/** Whether the lot of this code is out of sale (its units count as blocked). */
const outOfSaleLot = (state: SkuState, code: string): boolean => {
  const lot = state.lots[code];
  return lot !== undefined && isOutOfSale(lot);
};

const adjust = (c: C.AdjustStock, state: SkuState): Decision => {
  const location = c.location ?? DefaultLocation;
  const before = levelsOf(state, location);
  const named = c.lot === undefined ? undefined : state.lots[c.lot];
  if (c.lot !== undefined && named === undefined) return refuse({ _tag: 'UnknownLot', sku: c.sku, lot: c.lot });
  let lots: ReadonlyArray<LotTake> = [];
  if (c.delta > 0 && c.lot !== undefined) lots = [{ lot: c.lot, qty: Quantity.make(c.delta) }];
  else if (c.delta < 0) {
    // A write-off takes what the named lot has here; the rest, like a write-off naming none: units
    // without a lot first, then lots first-expired-first.
    const fromNamed = named === undefined ? 0 : Math.min(-c.delta, Math.max(0, named.units[location] ?? 0));
    const rest = -c.delta - fromNamed;
    const others = reductionLots(
      { ...state, lots: named === undefined ? state.lots : { ...state.lots, [named.code]: { ...named, units: { ...named.units, [location]: (named.units[location] ?? 0) - fromNamed } } } },
      location,
      Math.max(0, rest - unlottedUnits(state, location, before.onHand)),
    );
    lots = [...(named !== undefined && fromNamed > 0 ? [{ lot: named.code, qty: Quantity.make(fromNamed) }] : []), ...others];
  }
  const sign = c.delta < 0 ? -1 : 1;
  const blockedChange = lots.reduce((sum, t) => sum + (outOfSaleLot(state, t.lot) ? sign * t.qty : 0), 0);
  const after = { ...withBlocked(before, Math.max(0, blockedOf(before) + blockedChange)), onHand: before.onHand + c.delta };
  return accept(
    { _tag: 'StockAdjusted', ...meta(c, location, before, after), reference: c.reference, reason: c.reason, delta: c.delta, ...(lots.length === 0 ? {} : { lots }) },
    ...(c.delta < 0 ? shortfall(c, location, before, after, -c.delta, 'adjustment_without_stock', c.reference) : []),
  );
};

/**
 * A stocktake: on hand becomes what was counted, decided against the actor's own on-hand now, so what
 * was held or sold while the count was taken stays counted. Holds are untouched; a count below the units
 * held leaves them uncovered, recorded as a shortfall.
 */
const count = (c: C.CountStock, state: SkuState): Decision => (c.lot === undefined ? countLocation(c, state) : countLot(c, c.lot, state));

const countLocation = (c: C.CountStock, state: SkuState): Decision => {
  const location = c.location ?? DefaultLocation;
  const before = levelsOf(state, location);
  if (c.expectedOnHand !== undefined && c.expectedOnHand !== before.onHand) {
    return refuse({ _tag: 'CountStale', sku: c.sku, location, expectedOnHand: c.expectedOnHand, onHand: before.onHand });
  }
  const difference = c.counted - before.onHand;
  const lots = difference < 0 ? reductionLots(state, location, Math.max(0, -difference - unlottedUnits(state, location, before.onHand))) : [];
  const after = { ...lessBlocked(state, before, lots), onHand: c.counted };
  return accept(
    { _tag: 'StockCounted', ...meta(c, location, before, after), reference: c.reference, reason: 'stocktake', counted: c.counted, expected: before.onHand, difference, ...(lots.length === 0 ? {} : { lots }) },
    ...(difference < 0 ? shortfall(c, location, before, after, -difference, 'count_below_held', c.reference) : []),
  );
};

/**
 * A count of one lot at a location: its units become `counted` and on hand moves by the difference
 * (the other lots and the units without a lot are not counted here). `expectedOnHand` is then the lot's.
 */
const countLot = (c: C.CountStock, code: LotCode, state: SkuState): Decision => {
  const location = c.location ?? DefaultLocation;
  const lot = state.lots[code];
  if (lot === undefined) return refuse({ _tag: 'UnknownLot', sku: c.sku, lot: code });
  const before = levelsOf(state, location);
  const expected = lot.units[location] ?? 0;
  if (c.expectedOnHand !== undefined && c.expectedOnHand !== expected) {
    return refuse({ _tag: 'CountStale', sku: c.sku, location, expectedOnHand: c.expectedOnHand, onHand: expected });
  }
  const difference = c.counted - expected;
  const moved = { ...before, onHand: before.onHand + difference };
  const after = outOfSaleLot(state, code) ? withBlocked(moved, Math.max(0, blockedOf(before) + difference)) : moved;
  return accept(
    { _tag: 'StockCounted', ...meta(c, location, before, after), reference: c.reference, reason: 'stocktake', counted: c.counted, expected, difference, lot: code },
    ...(difference < 0 ? shortfall(c, location, before, after, -difference, 'count_below_held', c.reference) : []),
  );
};

const receiveReturn = (c: C.ReceiveReturn, state: SkuState): Decision => {
  const mismatch = lotMismatch(c, state);
  if (mismatch !== undefined) return mismatch;
  const location = c.location ?? DefaultLocation;
  const before = levelsOf(state, location);
  const after = c.restockable ? { ...blockedAfterIn(state, c.lot, before, c.qty), onHand: before.onHand + c.qty } : before;
  return accept({
    _tag: 'ReturnReceived',
    ...meta(c, location, before, after),
    reference: c.reference,
    reason: c.restockable ? 'return_restocked' : 'return_not_restockable',
    orderId: c.orderId,
    qty: c.qty,
    restockable: c.restockable,
    ...(c.lot === undefined ? {} : { lot: c.lot }),
  });
};

const setPolicy = (c: C.SetStockPolicy, state: SkuState): Decision => {
  const location = c.location ?? DefaultLocation;
  const position = positionAt(state, location);
  const before = levelsOf(state, location);
  const safetyStock = c.safetyStock ?? Units.make(before.safetyStock);
  const lowStockThreshold = c.lowStockThreshold === undefined ? position.lowStockThreshold : c.lowStockThreshold;
  const alertDays = c.alertDays === undefined ? state.lotPolicy.alertDays : c.alertDays;
  const removalDays = c.removalDays === undefined ? state.lotPolicy.removalDays : c.removalDays;
  const lotPolicyChanged = alertDays !== state.lotPolicy.alertDays || removalDays !== state.lotPolicy.removalDays;
  if (safetyStock === before.safetyStock && lowStockThreshold === position.lowStockThreshold && !lotPolicyChanged) return nothing;
  return accept({
    _tag: 'StockPolicySet',
    ...meta(c, location, before, { ...before, safetyStock }),
    reason: 'policy',
    safetyStock,
    lowStockThreshold: lowStockThreshold === null ? null : Units.make(lowStockThreshold),
    previousLowStockThreshold: position.lowStockThreshold === null ? null : Units.make(position.lowStockThreshold),
    ...(lotPolicyChanged ? { alertDays, removalDays } : {}),
  });
};

export const decide = (command: Command, state: SkuState): Decision => {
  // A command seen before has no second effect; a refused hold's retry still hears its refusal.
  if (hasSeen(state, command.commandId)) return command._tag === 'ReserveStock' ? Option.getOrElse(refusedBefore(command, state), () => nothing) : nothing;
  // A lot whose alert or removal date has come is recorded before anything else is decided, so no
  // decision ever sells units that should be out of sale (an actor just loaded, before its timer ran).
  if (command._tag !== 'CheckLots' && lotsDue(state, command.now)) {
    const due = checkLots({ _tag: 'CheckLots', commandId: command.commandId, actor: command.actor, now: command.now, sku: command.sku }, state);
    if (Either.isRight(due) && due.right.length > 0) {
      const after = due.right.reduce(evolve, state);
      return Either.map(decideNow(command, after), (events) => [...due.right, ...events]);
    }
  }
  return decideNow(command, state);
};

const decideNow = (command: Command, state: SkuState): Decision => {
  switch (command._tag) {
    case 'ReserveStock':
      return reserve(command, state);
    case 'CommitReservation':
      return commit(command, state);
    case 'ReleaseReservation':
      return release(command, state);
    case 'ExtendReservation':
      return extend(command, state);
    case 'ExpireReservation':
      return expire(command, state);
    case 'RecordSale':
      return recordSale(command, state);
    case 'Restock':
      return restock(command, state);
    case 'AdjustStock':
      return adjust(command, state);
    case 'CountStock':
      return count(command, state);
    case 'ReceiveReturn':
      return receiveReturn(command, state);
    case 'SetStockPolicy':
      return setPolicy(command, state);
    case 'AllocateDrop':
      return allocateDrop(command, state);
    case 'WithdrawDrop':
      return withdrawDrop(command, state);
    case 'OpenDrop':
      return openDrop(command, state);
    case 'CloseDrop':
      return closeDrop(command, state);
    case 'QuarantineLot':
      return quarantineLot(command, state);
    case 'ReleaseLot':
      return releaseLot(command, state);
    case 'CheckLots':
      return checkLots(command, state);
    default:
      return absurd<Decision>(command);
  }
};
