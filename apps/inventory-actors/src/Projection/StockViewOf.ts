// The read projection as a pure function of a SKU's state: levels per location and their totals,
// the status readers act on, and the shortfall (DESIGN.md §5). No I/O; the writers store its result.
import { available, buyersOf, LocationId, remainingOf, type DropPosition, type EpochMillis, type Position, type SkuState } from '@larder/domain';
import { HashMap } from 'effect';
import { StockView, type StockStatus, type StockViewDrop, type StockViewLocation } from '@larder/messaging';
import { Order, Array as Arr } from 'effect';

/** `out` at 0 available, `low` at or below the threshold, else `in_stock`. */
export const statusOf = (availableUnits: number, lowStockThreshold: number | null): StockStatus => {
  if (availableUnits === 0) return 'out';
  return lowStockThreshold !== null && availableUnits <= lowStockThreshold ? 'low' : 'in_stock';
};

const locationView = (location: LocationId, p: Position): StockViewLocation => ({
  location,
  onHand: p.onHand,
  reserved: p.reserved,
  safetyStock: p.safetyStock,
  allocated: p.allocated ?? 0,
  available: available(p),
  lowStockThreshold: p.lowStockThreshold,
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
  const locations = Arr.sort(
    // Position keys are the events' LocationIds; the record type just forgets the brand.
    Object.entries(state.positions).map(([key, p]) => locationView(LocationId.make(key, { disableValidation: true }), p)),
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
