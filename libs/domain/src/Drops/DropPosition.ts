// One SKU's share of a drop (DESIGN.md §10 "Drops") as its actor holds it: the units ring-fenced for
// it, what is held and committed there, each customer's count against the limit, and the lost demand
// after the sell-out. Persistent maps, so a drop of 20,000 buyers costs O(log n) per hold.
import { HashMap, Option } from 'effect';
import type { CustomerId, DropId, LocationId } from '../Ids.js';
import type { EpochMillis, Quantity } from '../Quantities.js';

export interface DropPosition {
  readonly dropId: DropId;
  readonly location: LocationId;
  readonly opensAt: EpochMillis;
  readonly closesAt: EpochMillis;
  readonly limitPerCustomer: Quantity;
  /** Units ring-fenced for the drop at this SKU, in all (held, committed and still free). */
  readonly allocation: number;
  /** Units of the drop's open holds. */
  readonly held: number;
  /** Units of the drop's committed holds (they count for good). */
  readonly committed: number;
  /** When the drop was recorded open (the first decision at or after `opensAt`). */
  readonly openedAt: EpochMillis | null;
  /** When the last free unit of the allocation was first held. */
  readonly soldOutAt: EpochMillis | null;
  readonly closedAt: EpochMillis | null;
  /** Units given back to general stock at the close. */
  readonly returned: number;
  /** Units each customer holds or bought in the drop (only customers above 0). */
  readonly customers: HashMap.HashMap<CustomerId, number>;
  /** Customers refused after the sell-out, with the most units one of their holds asked for. */
  readonly refusedCustomers: HashMap.HashMap<CustomerId, number>;
  /** Σ refusedCustomers: lost units, each customer counted once however often they retried. */
  readonly refusedUnits: number;
}

export type DropPhase = 'scheduled' | 'open' | 'closed';

/** Where the drop stands at `now`: closed once closed or past `closesAt`, open from `opensAt`. */
export const phaseAt = (drop: DropPosition, now: number): DropPhase => {
  if (drop.closedAt !== null || now >= drop.closesAt) return 'closed';
  return now >= drop.opensAt ? 'open' : 'scheduled';
};

/** Units of the allocation nobody holds or bought yet; 0 once closed (they went back to general stock). */
export const remainingOf = (drop: DropPosition): number =>
  drop.closedAt === null ? Math.max(0, drop.allocation - drop.held - drop.committed) : 0;

/** Units this customer holds or bought in the drop (what the limit counts). */
export const countOf = (drop: DropPosition, customer: CustomerId): number => Option.getOrElse(HashMap.get(drop.customers, customer), () => 0);

/** Distinct customers holding or having bought units in the drop. */
export const buyersOf = (drop: DropPosition): number => HashMap.size(drop.customers);

export const newDrop = (fields: Pick<DropPosition, 'dropId' | 'location' | 'opensAt' | 'closesAt' | 'limitPerCustomer' | 'allocation'>): DropPosition => ({
  ...fields,
  held: 0,
  committed: 0,
  openedAt: null,
  soldOutAt: null,
  closedAt: null,
  returned: 0,
  customers: HashMap.empty(),
  refusedCustomers: HashMap.empty(),
  refusedUnits: 0,
});

/** Changes a customer's count by `delta`, dropping the entry at 0. */
export const countCustomer = (drop: DropPosition, customer: CustomerId, delta: number): DropPosition => {
  const next = countOf(drop, customer) + delta;
  return { ...drop, customers: next > 0 ? HashMap.set(drop.customers, customer, next) : HashMap.remove(drop.customers, customer) };
};

/** Records lost demand: a customer refused after the sell-out counts once, with the most units they asked for. */
export const countRefusal = (drop: DropPosition, customer: CustomerId, qty: number): DropPosition => {
  const before = Option.getOrElse(HashMap.get(drop.refusedCustomers, customer), () => 0);
  if (qty <= before) return drop;
  return { ...drop, refusedCustomers: HashMap.set(drop.refusedCustomers, customer, qty), refusedUnits: drop.refusedUnits + qty - before };
};

/** Drops not closed yet: the actor must stay awake for their opening and closing times. */
export const pendingDrops = (drops: Readonly<Record<string, DropPosition>>): ReadonlyArray<DropPosition> =>
  Object.values(drops).filter((d) => d.closedAt === null);

/** What a drop's timer must do at `now`: record its opening, or close it (its unsold units back to general stock). */
export interface DropTimer {
  readonly dropId: DropId;
  readonly due: 'open' | 'close';
}

/** The drop timers due at `now`: a close from `closesAt`, an opening from `opensAt` until then. */
export const dueDropTimers = (drops: Readonly<Record<string, DropPosition>>, now: number): ReadonlyArray<DropTimer> =>
  pendingDrops(drops).flatMap((d): ReadonlyArray<DropTimer> => {
    if (now >= d.closesAt) return [{ dropId: d.dropId, due: 'close' }];
    return d.openedAt === null && now >= d.opensAt ? [{ dropId: d.dropId, due: 'open' }] : [];
  });
