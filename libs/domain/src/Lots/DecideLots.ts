// The lot commands (DESIGN.md §10 "Lots and shelf life", "Quarantine and recall"), pure: quarantine and
// release of a lot at every location in one decision, and the timer's check of alert and removal dates.
import type * as C from '../Commands.js';
import type * as E from '../Events.js';
import { accept, levelsOf, meta, nothing, refuse, type Decision } from '../Decision.js';
import { DefaultLocation, LocationId } from '../Ids.js';
import type { SkuState } from '../State.js';
import { evolve } from '../Evolve.js';
import { blockedOf, withBlocked } from '../StockLevels.js';
import { Units } from '../Quantities.js';
import { addDays, dayOf, type CalendarDate } from './Lot.js';
import { isOutOfSale, type LotRecord } from './LotStock.js';

/** The locations holding units of a lot (`main` when none does: an event needs a place). */
const locationsOf = (lot: LotRecord): ReadonlyArray<LocationId> => {
  const held = Object.entries(lot.units)
    .filter(([, units]) => units > 0)
    .map(([name]) => LocationId.make(name))
    .sort();
  return held.length > 0 ? held : [DefaultLocation];
};

/**
 * The events with their true levels: each one's `before` is its location as the events ahead of it
 * left it (a quarantine marks the lot at every location at once, so the second location's units are
 * already out of sale when its own event comes), its `after` what it leaves.
 */
const sequenced = (state: SkuState, events: ReadonlyArray<E.Event>): ReadonlyArray<E.Event> => {
  let current = state;
  return events.map((event) => {
    const before = levelsOf(current, event.location);
    // evolve never reads an event's levels: placeholders first, the real ones from its result.
    const next = evolve(current, { ...event, before, after: before });
    const placed = { ...event, before, after: levelsOf(next, event.location) };
    current = next;
    return placed;
  });
};

/** Levels at a location after `change` units more (or fewer) are out of sale there. */
const blockedBy = (state: SkuState, location: LocationId, change: number) => {
  const before = levelsOf(state, location);
  return { before, after: withBlocked(before, Math.max(0, blockedOf(before) + change)) };
};

export const quarantineLot = (c: C.QuarantineLot, state: SkuState): Decision => {
  const lot = state.lots[c.lot];
  if (lot === undefined) return refuse({ _tag: 'UnknownLot', sku: c.sku, lot: c.lot });
  if (lot.quarantine !== null) return nothing;
  return acceptSequenced(
    state,
    locationsOf(lot).map((location): E.LotQuarantined => {
      const units = Math.max(0, lot.units[location] ?? 0);
      // A lot already removed from sale is blocked already: quarantining it moves no more units.
      const { before, after } = blockedBy(state, location, lot.removed ? 0 : units);
      return { _tag: 'LotQuarantined', ...meta(c, location, before, after), reason: 'lot_quarantined', lot: c.lot, units: Units.make(units), note: c.note };
    }),
  );
};

export const releaseLot = (c: C.ReleaseLot, state: SkuState): Decision => {
  const lot = state.lots[c.lot];
  if (lot === undefined) return refuse({ _tag: 'UnknownLot', sku: c.sku, lot: c.lot });
  if (lot.quarantine === null) return nothing;
  return acceptSequenced(
    state,
    locationsOf(lot).map((location): E.LotReleased => {
      // What is on hand of it now: the quarantined units less what was written off while it was held back.
      const units = Math.max(0, lot.units[location] ?? 0);
      const { before, after } = blockedBy(state, location, lot.removed ? 0 : -units);
      return { _tag: 'LotReleased', ...meta(c, location, before, after), reason: 'lot_released', lot: c.lot, units: Units.make(units), note: c.note };
    }),
  );
};

/** The day a lot is announced as expiring, and the day its free units leave sale (null: no policy). */
export const lotDates = (lot: LotRecord, state: SkuState): { readonly alertOn: CalendarDate | null; readonly removeOn: CalendarDate | null } => ({
  alertOn: state.lotPolicy.alertDays === null ? null : addDays(lot.bestBefore, -state.lotPolicy.alertDays),
  removeOn: state.lotPolicy.removalDays === null ? null : addDays(lot.bestBefore, -state.lotPolicy.removalDays),
});

/** A lot with units on hand somewhere (an empty lot needs no alert and has nothing to take out of sale). */
const hasUnits = (lot: LotRecord): boolean => Object.values(lot.units).some((u) => u > 0);

/**
 * Whether a check at `now` would record anything (the actor's timer asks before sending CheckLots, and
 * every decision asks first). Asked on every command: a SKU without a lot policy answers at once.
 */
export const lotsDue = (state: SkuState, now: number): boolean => {
  if (state.lotPolicy.alertDays === null && state.lotPolicy.removalDays === null) return false;
  const today = dayOf(now);
  for (const lot of Object.values(state.lots)) {
    if (!hasUnits(lot)) continue;
    const { alertOn, removeOn } = lotDates(lot, state);
    if (!lot.alerted && alertOn !== null && alertOn <= today) return true;
    if (!lot.removed && removeOn !== null && removeOn <= today) return true;
  }
  return false;
};

/** Each lot reaching its alert date gets its one `LotExpiring`; each reaching its removal date leaves sale at every location. */
export const checkLots = (c: C.CheckLots, state: SkuState): Decision => {
  const today = dayOf(c.now);
  const events: Array<E.Event> = [];
  for (const lot of Object.values(state.lots).sort((a, b) => (a.code < b.code ? -1 : 1))) {
    if (!hasUnits(lot)) continue;
    const { alertOn, removeOn } = lotDates(lot, state);
    const [first] = locationsOf(lot);
    if (!lot.alerted && alertOn !== null && alertOn <= today && first !== undefined) {
      const levels = levelsOf(state, first);
      events.push({ _tag: 'LotExpiring', ...meta(c, first, levels, levels), reason: 'lot_expiring', lot: lot.code, bestBefore: lot.bestBefore, alertDays: state.lotPolicy.alertDays ?? 0 });
    }
    if (!lot.removed && removeOn !== null && removeOn <= today) {
      for (const location of locationsOf(lot)) {
        const units = Math.max(0, lot.units[location] ?? 0);
        const { before, after } = blockedBy(state, location, isOutOfSale(lot) ? 0 : units);
        events.push({ _tag: 'LotRemovedFromSale', ...meta(c, location, before, after), reason: 'lot_removal_date', lot: lot.code, bestBefore: lot.bestBefore, units: Units.make(units) });
      }
    }
  }
  return events.length === 0 ? nothing : acceptSequenced(state, events);
};

const acceptSequenced = (state: SkuState, events: ReadonlyArray<E.Event>): Decision => accept(...sequenced(state, events));

/** Whether a lot with units still has an alert or a removal ahead under the SKU's policy (its actor stays in memory to record them on time). */
export const lotsPending = (state: SkuState): boolean => {
  if (state.lotPolicy.alertDays === null && state.lotPolicy.removalDays === null) return false;
  for (const lot of Object.values(state.lots)) {
    if (!hasUnits(lot)) continue;
    if ((state.lotPolicy.alertDays !== null && !lot.alerted) || (state.lotPolicy.removalDays !== null && !lot.removed)) return true;
  }
  return false;
};
