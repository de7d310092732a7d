// The state of one SKU as its actor holds it: levels and policy per location, open holds, and a
// bounded memory of recently closed holds and recent command ids (for exact retries).
import { HashMap, Option } from 'effect';
import type { DropPosition } from './Drops/DropPosition.js';
import type { CommandId, CustomerId, DropId, LocationId, OrderId, ReservationId, Sku } from './Ids.js';
import { emptyGenerations, lookup, type Generations } from './Generations.js';
import type { ReservationStatus } from './ReservationStatus.js';
import type { EpochMillis, Quantity } from './Quantities.js';
import { emptyLevels, type StockLevels } from './StockLevels.js';
import type { CalendarDate, ChannelTerms, LotCode } from './Lots/Lot.js';
import { noLotPolicy, type LotPolicy, type LotRecord } from './Lots/LotStock.js';

export interface Position extends StockLevels {
  readonly lowStockThreshold: number | null;
}


export interface Reservation {
  readonly reservationId: ReservationId;
  readonly location: LocationId;
  readonly qty: Quantity;
  readonly expiresAt: EpochMillis;
  readonly status: ReservationStatus;
  readonly createdAt: EpochMillis;
  readonly closedAt: EpochMillis | null;
  readonly orderId: OrderId | null;
  readonly customerId: CustomerId | null;
  /** The drop whose allocation the hold took its units from; null for a hold outside any drop. */
  readonly dropId: DropId | null;
  /** The channel it was placed on (its shelf-life terms decide the lots a commit may take); null: none named. */
  readonly channel: ChannelTerms | null;
  /** The earliest best-before the hold may ship with, as of its placing; null: any lot. */
  readonly sellableFrom: CalendarDate | null;
  /** Once committed: the lots its units were taken from (answered to a retried commit too). */
  readonly lots?: ReadonlyArray<{ readonly lot: LotCode; readonly qty: Quantity }>;
}

/** Why a hold was refused and recorded: want of stock, or a rule of its drop. */
export type RefusalReason = 'insufficient_stock' | 'drop_not_open' | 'drop_closed' | 'limit_exceeded';

/**
 * A refused hold as remembered for its retries: what was asked, where, and what was available then
 * (for `limit_exceeded`, the units the customer could still hold).
 */
export interface Refusal {
  readonly qty: Quantity;
  readonly location: LocationId;
  readonly available: number;
  readonly dropId?: DropId;
  /** Absent: insufficient_stock. */
  readonly reason?: RefusalReason;
}

export interface SkuState {
  readonly sku: Sku;
  /** Events applied since the SKU was created. */
  readonly version: number;
  readonly positions: Readonly<Record<string, Position>>;
  readonly open: HashMap.HashMap<ReservationId, Reservation>;
  readonly closed: Generations<ReservationId, Reservation>;
  /** Holds refused for want of stock, remembered as long as closed holds. */
  readonly refused: Generations<ReservationId, Refusal>;
  readonly commands: Generations<CommandId, EpochMillis>;
  /** This SKU's share of each drop it is part of, by drop id (closed drops stay, for their figures). */
  readonly drops: Readonly<Record<string, DropPosition>>;
  /** Every lot ever received, by code (units per location; empty lots stay, for their history). */
  readonly lots: Readonly<Record<string, LotRecord>>;
  readonly lotPolicy: LotPolicy;
  /**
   * Derived from `open` (never in snapshots): per location, the units of open holds that need a shelf
   * life, by the earliest best-before they may ship with — what the shelf-life rule reads on every hold
   * on a channel, without a pass over every open hold.
   */
  readonly shelfHeld: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** `shelfHeld` rebuilt from the open holds (a state read from a snapshot). */
export const withShelfHeld = <S extends Omit<SkuState, 'shelfHeld'>>(state: S): S & { readonly shelfHeld: SkuState['shelfHeld'] } => {
  const shelfHeld: Record<string, Record<string, number>> = {};
  HashMap.forEach(state.open, (r) => {
    if (r.sellableFrom === null) return;
    const here = (shelfHeld[r.location] ??= {});
    here[r.sellableFrom] = (here[r.sellableFrom] ?? 0) + r.qty;
  });
  return { ...state, shelfHeld };
};

/** `shelfHeld` after a hold of `qty` needing `from` (negative: one that ended) at a location. */
export const addShelfHeld = (held: SkuState['shelfHeld'], location: string, from: string, qty: number): SkuState['shelfHeld'] => {
  const here = { ...(held[location] ?? {}) };
  const next = (here[from] ?? 0) + qty;
  if (next === 0) delete here[from];
  else here[from] = next;
  // A location with no shelf-bound hold left leaves the map (as a rebuild from the open holds would).
  if (Object.keys(here).length === 0) {
    const { [location]: _, ...rest } = held;
    return rest;
  }
  return { ...held, [location]: here };
};

export const emptyPosition: Position = { ...emptyLevels, lowStockThreshold: null };

export const initialState = (sku: Sku): SkuState => ({
  sku,
  version: 0,
  positions: {},
  open: HashMap.empty(),
  closed: emptyGenerations(),
  refused: emptyGenerations(),
  commands: emptyGenerations(),
  drops: {},
  lots: {},
  lotPolicy: noLotPolicy,
  shelfHeld: {},
});

export const positionAt = (state: SkuState, location: LocationId): Position =>
  state.positions[location] ?? emptyPosition;

/** An open hold, else a recently closed one. */
export const findReservation = (state: SkuState, id: ReservationId): Option.Option<Reservation> =>
  Option.orElse(HashMap.get(state.open, id), () => lookup(state.closed, id));

/** A hold refused under this id, if it was (and is still remembered). */
export const findRefusal = (state: SkuState, id: ReservationId): Option.Option<Refusal> => lookup(state.refused, id);

export const hasSeen = (state: SkuState, id: CommandId): boolean => Option.isSome(lookup(state.commands, id));

/** This SKU's share of a drop, if it is part of it. */
export const findDrop = (state: SkuState, id: DropId): DropPosition | undefined => state.drops[id];
