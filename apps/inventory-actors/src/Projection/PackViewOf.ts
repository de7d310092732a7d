// The read projection of a variety pack (DESIGN.md §10 "Packs") as a pure function of its recipe and
// its components' views: packs the components make, in all and per location, and the version of its
// stalest component. No I/O; the pack projector stores its result.
import { packAvailable, type LocationId, type Sku } from '@larder/domain';
import type { PackRecipeRecord, StockView, StockViewComponent, StockViewLocation } from '@larder/messaging';
import { Array as Arr, Order } from 'effect';

/** The levels of one location of a component view (undefined when the component has none there). */
const atLocation = (view: StockView | undefined, location: LocationId): StockViewLocation | undefined =>
  view?.locations.find((l) => l.location === location);

/** Where the pack's version comes from: its component with the oldest `asOf`; none when one is unknown. */
const stalestOf = (recipe: PackRecipeRecord, viewOf: (sku: Sku) => StockView | undefined) => {
  let stalest: { readonly seq: number; readonly asOf: StockView['asOf'] } | undefined;
  for (const c of recipe.components) {
    const view = viewOf(c.sku);
    // A component never seen yet: the pack is only as recent as its recipe, and has no journal version.
    if (view === undefined) return { seq: 0, asOf: recipe.updatedAt };
    if (stalest === undefined || view.asOf < stalest.asOf) stalest = { seq: view.seq, asOf: view.asOf };
  }
  return stalest ?? { seq: 0, asOf: recipe.updatedAt };
};

/**
 * The view of pack `recipe.pack` given each component's newest view (`undefined`: none yet, counted 0).
 * Every figure is the least over components of floor(units ÷ per-pack qty), negatives counted 0: in
 * all, and per location over the union of the components' locations (a component with nothing at a
 * location makes 0 packs there). A pack holds nothing itself: reserved, safety stock, allocation and
 * shortfall are 0, and it has no threshold, so it is `in_stock` or `out`.
 */
export const packViewOf = (recipe: PackRecipeRecord, viewOf: (sku: Sku) => StockView | undefined): StockView => {
  const views = new Map(recipe.components.map((c) => [c.sku, viewOf(c.sku)]));
  const packs = (units: (view: StockView | undefined) => number | undefined) => packAvailable(recipe, (sku) => units(views.get(sku)));
  const ids = new Set([...views.values()].flatMap((view) => (view === undefined ? [] : view.locations.map((l) => l.location))));
  const locations = Arr.sort(ids, Order.string).map(
    (location): StockViewLocation => ({
      location,
      onHand: packs((view) => atLocation(view, location)?.onHand ?? 0),
      reserved: 0,
      safetyStock: 0,
      allocated: 0,
      available: packs((view) => atLocation(view, location)?.available ?? 0),
      lowStockThreshold: null,
      blocked: 0,
      lots: [],
      heldFrom: [],
    }),
  );
  const available = packs((view) => view?.available);
  const components = recipe.components.map(
    (c): StockViewComponent => ({ sku: c.sku, qty: c.qty, available: views.get(c.sku)?.available ?? 0, seq: views.get(c.sku)?.seq ?? 0 }),
  );
  const { seq, asOf } = stalestOf(recipe, (sku) => views.get(sku));
  return {
    v: 1,
    sku: recipe.pack,
    kind: 'pack',
    seq,
    asOf,
    onHand: packs((view) => view?.onHand),
    reserved: 0,
    safetyStock: 0,
    available,
    status: available === 0 ? 'out' : 'in_stock',
    lowStockThreshold: null,
    shortfall: 0,
    allocated: 0,
    locations,
    drops: [],
    components,
  };
};

/**
 * Whether `next` tells readers nothing `previous` did not: same version, packs in all and per location
 * (available, on hand), and the same components with the same available. A pack projector writes only
 * views that differ, so a component changing without moving its packs costs no write.
 */
export const samePackView = (previous: StockView, next: StockView): boolean =>
  previous.seq === next.seq &&
  previous.available === next.available &&
  previous.onHand === next.onHand &&
  previous.locations.length === next.locations.length &&
  next.locations.every((l, i) => {
    const before = previous.locations[i];
    return before !== undefined && before.location === l.location && before.available === l.available && before.onHand === l.onHand;
  }) &&
  previous.components.length === next.components.length &&
  next.components.every((c, i) => {
    const before = previous.components[i];
    return before !== undefined && before.sku === c.sku && before.qty === c.qty && before.available === c.available;
  });
