// What a hold on a sales channel could take now (DESIGN.md §10 "Lots and shelf life"), read from a
// stock view: per location, the domain's shelf-life rule over the view's lots and shelf-bound holds; a
// pack's from its components' views, like its plain availability. Pure; used by the API per request and by runners to tell a channel's back in stock.
import { availableOnShelf, type CalendarDate } from '@larder/domain';
import type { StockStatus, StockView, StockViewLocation } from '../Codec/StockView.js';

/** Units a new hold needing lots best before `from` or later could take at this location. */
export const channelAvailableAt = (location: StockViewLocation, from: CalendarDate): number =>
  availableOnShelf(
    {
      general: location.available,
      unlotted: Math.max(0, location.onHand - location.lots.reduce((sum, l) => sum + Math.max(0, l.onHand), 0)),
      lots: location.lots.map((l) => ({ bestBefore: l.bestBefore, onHand: l.onHand, outOfSale: l.status !== 'sellable' })),
      holds: location.heldFrom.map((h) => ({ qty: h.qty, sellableFrom: h.from })),
    },
    from,
  );

const statusOf = (available: number, threshold: number | null): StockStatus => {
  if (available === 0) return 'out';
  return threshold !== null && available <= threshold ? 'low' : 'in_stock';
};

const sum = (values: ReadonlyArray<number>) => values.reduce((total, v) => total + v, 0);

/** The view as a hold on the channel sees it: each location's `available`, the total and the status. */
export const channelViewOf = (view: StockView, from: CalendarDate, componentView: (sku: string) => StockView | undefined): StockView => {
  if (view.kind === 'pack') {
    const parts = view.components.map((c) => ({ c, own: componentView(c.sku) }));
    if (parts.length === 0) return view;
    const at = (location: string) =>
      Math.min(
        ...parts.map(({ c, own }) => {
          const here = own?.locations.find((l) => l.location === location);
          return here === undefined ? 0 : Math.floor(channelAvailableAt(here, from) / c.qty);
        }),
      );
    const totals = parts.map(({ c, own }) => ({ c, available: own === undefined ? 0 : sum(own.locations.map((l) => channelAvailableAt(l, from))) }));
    const available = Math.max(0, Math.min(...totals.map(({ c, available: a }) => Math.floor(a / c.qty))));
    return {
      ...view,
      available,
      status: statusOf(available, view.lowStockThreshold),
      locations: view.locations.map((l) => ({ ...l, available: Math.max(0, at(l.location)) })),
      components: totals.map(({ c, available: a }) => ({ ...c, available: a })),
    };
  }
  const locations = view.locations.map((l) => ({ ...l, available: channelAvailableAt(l, from) }));
  const available = sum(locations.map((l) => l.available));
  return { ...view, available, status: statusOf(available, view.lowStockThreshold), locations };
};
