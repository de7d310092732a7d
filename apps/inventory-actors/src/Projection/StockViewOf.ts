// The read projection as a pure function of a SKU's state: levels per location and their totals,
// the status readers act on, and the shortfall (DESIGN.md §5). No I/O; the writers store its result.
import { available, buyersOf, CalendarDate, LocationId, remainingOf, type DropPosition, type EpochMillis, type Position, type SkuState } from '@larder/domain';
import { HashMap } from 'effect';
import { StockView, type StockStatus, type StockViewDrop, type StockViewLocation } from '@larder/messaging';
import { Order, Array as Arr } from 'effect';

/** `out` at 0 available, `low` at or below the threshold, else `in_stock`. */
export const statusOf = (availableUnits: number, lowStockThreshold: number | null): StockStatus => {
  if (availableUnits === 0) return 'out';
  return lowStockThreshold !== null && availableUnits <= lowStockThreshold ? 'low' : 'in_stock';
};

/** Per location, the open holds that need a shelf life, summed by their earliest best-before (the state's running sums). */
const shelfHoldsOf = (state: SkuState): ReadonlyMap<string, ReadonlyArray<{ readonly from: CalendarDate; readonly qty: number }>> =>
  new Map(
    Object.entries(state.shelfHeld).map(([location, byFrom]) => [
      location,
      Object.entries(byFrom)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([from, qty]) => ({ from: CalendarDate.make(from, { disableValidation: true }), qty })),
    ]),
  );

const locationView = (state: SkuState, location: LocationId, p: Position, held: ReadonlyArray<{ readonly from: CalendarDate; readonly qty: number }>): StockViewLocation => ({
  location,
  onHand: p.onHand,
  reserved: p.reserved,
  safetyStock: p.safetyStock,
  allocated: p.allocated ?? 0,
  available: available(p),
  lowStockThreshold: p.lowStockThreshold,
  blocked: p.blocked ?? 0,
  lots: Object.values(state.lots)
    .filter((l) => (l.units[location] ?? 0) !== 0)
    .sort((a, b) => (a.bestBefore < b.bestBefore ? -1 : a.bestBefore > b.bestBefore ? 1 : a.code < b.code ? -1 : 1))
    .map((l) => ({
      code: l.code,
      bestBefore: l.bestBefore,
      producedOn: l.producedOn,
      onHand: l.units[location] ?? 0,
      status: l.quarantine !== null ? 'quarantined' : l.removed ? 'removed' : 'sellable',
    })),
  heldFrom: held,
});

/** This SKU's share of a drop, as readers see it (the figures of GET /v1/drops/{dropId}). */
export const dropView = (d: DropPosition): StockViewDrop => ({
  dropId: d.dropId,
  location: d.location,
  opensAt: d.opensAt,
  closesAt: d.closesAt,
  openedAt: d.openedAt,
  closedAt: d.closedAt,
  limitPerCustomer: d.limitPerCustomer,
  allocation: d.allocation,
  held: d.held,
  committed: d.committed,
  remaining: remainingOf(d),
  returned: d.returned,
  soldOutAt: d.soldOutAt,
  buyers: buyersOf(d),
  refusedCustomers: HashMap.size(d.refusedCustomers),
  refusedUnits: d.refusedUnits,
});

const byLocation = Order.mapInput(Order.string, (l: StockViewLocation) => l.location);
const sum = (locations: ReadonlyArray<StockViewLocation>, units: (l: StockViewLocation) => number): number =>
  locations.reduce((total, l) => total + units(l), 0);

/** The view of `state` after the journal append `seq`, whose last event happened at `asOf`. */
export const stockViewOf = (state: SkuState, seq: number, asOf: EpochMillis): StockView => {
  const held = shelfHoldsOf(state);
  const locations = Arr.sort(
    // Position keys are the events' LocationIds; the record type just forgets the brand.
    Object.entries(state.positions).map(([key, p]) => locationView(state, LocationId.make(key, { disableValidation: true }), p, held.get(key) ?? [])),
    byLocation,
  );
  const thresholds = locations.flatMap((l) => (l.lowStockThreshold === null ? [] : [l.lowStockThreshold]));
  const lowStockThreshold = thresholds.length === 0 ? null : thresholds.reduce((a, b) => a + b, 0);
  const availableUnits = sum(locations, (l) => l.available);
  return StockView.make(
    {
      v: 1,
      sku: state.sku,
      seq,
      asOf,
      onHand: sum(locations, (l) => l.onHand),
      reserved: sum(locations, (l) => l.reserved),
      safetyStock: sum(locations, (l) => l.safetyStock),
      available: availableUnits,
      status: statusOf(availableUnits, lowStockThreshold),
      lowStockThreshold,
      shortfall: sum(locations, (l) => Math.max(0, l.reserved - l.onHand)),
      allocated: sum(locations, (l) => l.allocated),
      locations,
      drops: Object.values(state.drops).map(dropView),
    },
    // Built from a decided state, so it is valid by construction: skip re-validation on the hot path.
    { disableValidation: true },
  );
};
