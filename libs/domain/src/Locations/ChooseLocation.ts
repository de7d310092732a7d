// Locations (DESIGN.md §10 "Locations"): a SKU's stock lives per location; a hold or a sale that names
// none goes to the highest-priority location that can fill the whole line, so a hold is never refused
// while one location could fill it. Pure: the order comes from the location registry (each API
// instance's copy), the levels from the SKU's own state, so the choice is made by the SKU's only
// writer and recorded in its event (a replay reads the location back, it never chooses again).
import { DefaultLocation, LocationId } from '../Ids.js';
import type { SkuState } from '../State.js';
import { available } from '../StockLevels.js';

/** A location as the registry knows it: the higher `priority`, the sooner it is chosen. */
export interface LocationRank {
  readonly location: LocationId;
  readonly priority: number;
}

/** Locations in the order a line without `location` tries them: highest priority first, ties by id. */
export const priorityOrder = (ranks: ReadonlyArray<LocationRank>): ReadonlyArray<LocationId> =>
  [...ranks].sort((a, b) => b.priority - a.priority || (a.location < b.location ? -1 : a.location > b.location ? 1 : 0)).map((r) => r.location);

/**
 * Every location a line may be filled from, in the order tried: the registry's order first, then the
 * SKU's other locations (stock received somewhere not registered yet) — `main` first, then by id.
 */
export const candidatesOf = (state: SkuState, preference: ReadonlyArray<LocationId>): ReadonlyArray<LocationId> => {
  const listed = new Set<string>(preference);
  const others = Object.keys(state.positions)
    .flatMap((name) => (listed.has(name) ? [] : [LocationId.make(name)]))
    .sort((a, b) => (a === DefaultLocation ? -1 : b === DefaultLocation ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const all = [...preference, ...others];
  return all.length === 0 ? [DefaultLocation] : all;
};

export type LocationChoice =
  /** This location can fill the whole line. */
  | { readonly _tag: 'Fills'; readonly location: LocationId }
  /** None can: the one that could fill most of it (first in order among equals), and how many it has. */
  | { readonly _tag: 'NoneFills'; readonly best: LocationId; readonly available: number };

/**
 * Where `qty` units of a line without a location are taken from (never split across locations).
 * `freeAt`: the units a hold may take at a location (default: its available; a hold on a channel with a
 * minimum shelf life passes the rule that counts only its sellable lots).
 */
export const chooseLocation = (
  state: SkuState,
  qty: number,
  preference: ReadonlyArray<LocationId>,
  freeAt: (location: LocationId) => number = (location) => available(state.positions[location] ?? { onHand: 0, reserved: 0, safetyStock: 0 }),
): LocationChoice => {
  const candidates = candidatesOf(state, preference);
  let best: LocationId = candidates[0] ?? DefaultLocation;
  let most = -1;
  for (const location of candidates) {
    const free = freeAt(location);
    if (free >= qty) return { _tag: 'Fills', location };
    if (free > most) {
      most = free;
      best = location;
    }
  }
  return { _tag: 'NoneFills', best, available: Math.max(0, most) };
};
