// What a checkout asks of each SKU actor: its lines expanded to the holds they need (a plain line is
// one hold on its own SKU; a pack line, later, its components) and summed per SKU across every line
// before any actor decides, so two lines sharing a SKU are never both judged on the same units.
import type { LocationId, Sku } from '../Ids.js';
import { Quantity } from '../Quantities.js';

export interface CheckoutLine {
  readonly sku: Sku;
  readonly qty: Quantity;
  /** Held at this location; absent: the owner picks the highest-priority location that fills the hold. */
  readonly location?: LocationId;
}

/** One SKU's share of a checkout: the units one ReserveStock holds there (at `location` when a line named one). */
export interface HoldDemand {
  readonly sku: Sku;
  readonly qty: Quantity;
  readonly location?: LocationId;
}

/** How one line becomes holds; a plain SKU line holds itself. */
export type ExpandLine = (line: CheckoutLine) => ReadonlyArray<HoldDemand>;

export const holdsItself: ExpandLine = (line) => [{ sku: line.sku, qty: line.qty }];

/** The holds of a checkout, one per SKU, summed over every line, in the order SKUs first appear. */
export const demandOf = (lines: ReadonlyArray<CheckoutLine>, expand: ExpandLine = holdsItself): ReadonlyArray<HoldDemand> => {
  const total = new Map<Sku, number>();
  for (const line of lines) {
    for (const hold of expand(line)) total.set(hold.sku, (total.get(hold.sku) ?? 0) + hold.qty);
  }
  return [...total].map(([sku, qty]) => ({ sku, qty: Quantity.make(qty) }));
};
