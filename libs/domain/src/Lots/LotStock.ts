// A SKU's lots as its actor holds them, and the rules that read them (pure): which units are out of
// sale, how many a hold on a channel may take without leaving another open hold unfillable, and which
// lots a commit takes — first expired, first out, fewest lots — so that a replay assigns the same.
import type { LocationId } from '../Ids.js';
import type { EpochMillis } from '../Quantities.js';
import type { CalendarDate, LotCode } from './Lot.js';
import { meetsShelfLife } from './Lot.js';

export interface LotQuarantine {
  readonly since: EpochMillis;
  readonly note: string;
  /** Units on hand per location when the lot was quarantined: what a release puts back. */
  readonly units: Readonly<Record<string, number>>;
}

export interface LotRecord {
  readonly code: LotCode;
  readonly bestBefore: CalendarDate;
  readonly producedOn: CalendarDate | null;
  readonly establishment: string | null;
  /** Units of the lot on hand, per location. */
  readonly units: Readonly<Record<string, number>>;
  readonly quarantine: LotQuarantine | null;
  /** `stock.v1.lot.expiring` was recorded (once per lot). */
  readonly alerted: boolean;
  /** Its removal date came: its units are out of sale. */
  readonly removed: boolean;
}

/** Per SKU, days before best-before: the alert (`stock.v1.lot.expiring`) and the removal from sale. */
export interface LotPolicy {
  readonly alertDays: number | null;
  readonly removalDays: number | null;
}

export const noLotPolicy: LotPolicy = { alertDays: null, removalDays: null };

export const isOutOfSale = (lot: LotRecord): boolean => lot.quarantine !== null || lot.removed;

export const unitsAt = (lot: LotRecord, location: LocationId): number => lot.units[location] ?? 0;

/** Units of out-of-sale lots at a location: kept on hand, never sellable (StockLevels.blocked). */
export const blockedAt = (lots: Readonly<Record<string, LotRecord>>, location: LocationId): number => {
  let blocked = 0;
  for (const lot of Object.values(lots)) if (isOutOfSale(lot)) blocked += Math.max(0, unitsAt(lot, location));
  return blocked;
};

/** Units on hand at a location that belong to no lot (received before lots, or without one): sellable on every channel. */
export const unlottedAt = (lots: Readonly<Record<string, LotRecord>>, location: LocationId, onHand: number): number => {
  let lotted = 0;
  for (const lot of Object.values(lots)) lotted += Math.max(0, unitsAt(lot, location));
  return Math.max(0, onHand - lotted);
};

/** An open hold as the shelf-life rule sees it: its units and the earliest best-before it may ship. */
export interface ShelfHold {
  readonly qty: number;
  readonly sellableFrom: CalendarDate | null;
}

/** A lot at one location as the shelf-life rule reads it. */
export interface ShelfLot {
  readonly bestBefore: CalendarDate;
  readonly onHand: number;
  readonly outOfSale: boolean;
}

/** What the shelf-life rule needs of one location: the SKU's actor builds it from its state, a reader from the stock view. */
export interface ShelfStock {
  /** The location's available (onHand − reserved − safetyStock − blocked − allocated). */
  readonly general: number;
  /** Units on hand that belong to no lot: sellable on every channel. */
  readonly unlotted: number;
  readonly lots: ReadonlyArray<ShelfLot>;
  /** Open holds that need a shelf life, by the earliest best-before they may ship with. */
  readonly holds: ReadonlyArray<ShelfHold>;
}

/**
 * Units a new hold that needs lots best before `from` or later can take at a location, without leaving
 * an open hold unfillable. Channels' sellable lots are nested (a stricter channel sees fewer lots), so
 * it is enough that, for every threshold t up to `from`, the holds needing t or later fit in the units
 * of lots best before t or later (plus units without a lot).
 */
export const availableOnShelf = (stock: ShelfStock, from: CalendarDate | null): number => {
  if (from === null) return stock.general;
  const thresholds = new Set<CalendarDate>([from]);
  for (const h of stock.holds) if (h.sellableFrom !== null && h.sellableFrom <= from) thresholds.add(h.sellableFrom);
  let most = stock.general;
  for (const t of thresholds) {
    let supply = stock.unlotted;
    for (const l of stock.lots) if (!l.outOfSale && l.onHand > 0 && meetsShelfLife(l.bestBefore, t)) supply += l.onHand;
    let demand = 0;
    for (const h of stock.holds) if (h.sellableFrom !== null && h.sellableFrom >= t) demand += h.qty;
    most = Math.min(most, supply - demand);
  }
  return Math.max(0, most);
};

/** The shelf stock of a location from the SKU's lots (the actor's view of it). */
export const shelfStockOf = (general: number, lots: Readonly<Record<string, LotRecord>>, location: LocationId, onHand: number, holds: ReadonlyArray<ShelfHold>): ShelfStock => ({
  general,
  unlotted: unlottedAt(lots, location, onHand),
  lots: Object.values(lots).map((l) => ({ bestBefore: l.bestBefore, onHand: unitsAt(l, location), outOfSale: isOutOfSale(l) })),
  holds,
});

export interface LotShare {
  readonly lot: LotCode;
  readonly qty: number;
}

export interface LotAssignment {
  readonly lots: ReadonlyArray<LotShare>;
  /** Units taken from stock without a lot. */
  readonly unlotted: number;
  /**
   * Units that had to come from lots out of sale or short of the channel's shelf life (a hold placed
   * before its lot was quarantined or removed, or that crossed midnight at the boundary): taken and
   * stated, so the lot's books and its recall trace stay true.
   */
  readonly outOfPolicy: number;
  /** Units nothing on hand covered (on hand was already short): shipped from nothing traceable — stated, never hidden. */
  readonly unassigned: number;
}

const byExpiry = (location: LocationId) => (a: LotRecord, b: LotRecord) =>
  a.bestBefore < b.bestBefore ? -1 : a.bestBefore > b.bestBefore ? 1 : unitsAt(b, location) - unitsAt(a, location) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * First expired, first out: the sellable lots at the location whose best-before is `from` or later,
 * earliest best-before first, the larger lot first among equals (the fewest lots that fill the line),
 * then units without a lot. Only when those do not cover the line: lots on sale but short of the shelf
 * life, then lots out of sale, first expired first (`outOfPolicy`) — never more than a lot has, so a
 * lot's units never exceed what is on hand.
 */
export const assignLots = (
  lots: Readonly<Record<string, LotRecord>>,
  location: LocationId,
  onHand: number,
  qty: number,
  from: CalendarDate | null,
): LotAssignment => {
  const held = Object.values(lots).filter((l) => unitsAt(l, location) > 0);
  const qualifying = held.filter((l) => !isOutOfSale(l) && meetsShelfLife(l.bestBefore, from)).sort(byExpiry(location));
  const shortDated = held.filter((l) => !isOutOfSale(l) && !meetsShelfLife(l.bestBefore, from)).sort(byExpiry(location));
  const outOfSale = held.filter(isOutOfSale).sort(byExpiry(location));
  const taken: Array<LotShare> = [];
  let left = qty;
  const takeFrom = (group: ReadonlyArray<LotRecord>): number => {
    let got = 0;
    for (const lot of group) {
      if (left === 0) break;
      const take = Math.min(left, unitsAt(lot, location));
      taken.push({ lot: lot.code, qty: take });
      left -= take;
      got += take;
    }
    return got;
  };
  takeFrom(qualifying);
  const unlotted = Math.min(left, unlottedAt(lots, location, onHand));
  left -= unlotted;
  const outOfPolicy = takeFrom(shortDated) + takeFrom(outOfSale);
  return { lots: taken, unlotted, outOfPolicy, unassigned: left };
};
