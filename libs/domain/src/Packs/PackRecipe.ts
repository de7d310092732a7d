// Packs (DESIGN.md §10 "Packs"): a variety pack has no stock of its own; it is made of component SKUs,
// each so many per pack. These are its rules, pure: what a recipe may be, what a pack line of a checkout
// asks of each component (summed with every other line before any owner decides — the defect of
// medusajs/medusa#16502 is two lines sharing a component each checked against the same units), and how
// many packs the components' available units make.
import { Either } from 'effect';
import type { CheckoutLine, ExpandLine, HoldDemand } from '../Checkout/CheckoutDemand.js';
import { holdsItself } from '../Checkout/CheckoutDemand.js';
import type { LocationId, Sku } from '../Ids.js';
import { MaxQuantity, Quantity } from '../Quantities.js';

/** Components per pack at most: a recipe is a short list a person reads. */
export const MaxPackComponents = 20;

export interface PackComponent {
  readonly sku: Sku;
  /** Units of this component in one pack (≥ 1). */
  readonly qty: Quantity;
}

export interface PackRecipe {
  readonly pack: Sku;
  readonly components: ReadonlyArray<PackComponent>;
}

/** Why a recipe cannot stand, in words for the person who wrote it. */
export type RecipeProblem =
  | { readonly _tag: 'NoComponents' }
  | { readonly _tag: 'TooManyComponents'; readonly count: number }
  | { readonly _tag: 'ContainsItself' }
  | { readonly _tag: 'ComponentTwice'; readonly sku: Sku }
  /** A component that is itself a pack: packs are one level deep, so a hold stays one round of owners. */
  | { readonly _tag: 'NestedPack'; readonly sku: Sku }
  /** The SKU is a component of another pack: making it a pack would nest that one. */
  | { readonly _tag: 'UsedAsComponent'; readonly packs: ReadonlyArray<Sku> };

export const describeRecipeProblem = (p: RecipeProblem): string => {
  switch (p._tag) {
    case 'NoComponents':
      return 'a pack needs at least one component';
    case 'TooManyComponents':
      return `a pack has at most ${MaxPackComponents} components; this one has ${p.count}`;
    case 'ContainsItself':
      return 'a pack cannot be one of its own components';
    case 'ComponentTwice':
      return `component ${p.sku} is listed twice: give it once with the total qty`;
    case 'NestedPack':
      return `component ${p.sku} is itself a pack: list its components instead (packs are one level deep)`;
    case 'UsedAsComponent':
      return `this SKU is a component of ${p.packs.join(', ')}: it cannot become a pack (packs are one level deep)`;
  }
};

/**
 * Whether `recipe` may stand, given the other recipes (by pack). Nothing about stock: a recipe may
 * name a component that has none yet.
 */
export const checkRecipe = (recipe: PackRecipe, others: ReadonlyMap<Sku, PackRecipe>): Either.Either<PackRecipe, RecipeProblem> => {
  const { pack, components } = recipe;
  if (components.length === 0) return Either.left({ _tag: 'NoComponents' });
  if (components.length > MaxPackComponents) return Either.left({ _tag: 'TooManyComponents', count: components.length });
  const seen = new Set<Sku>();
  for (const c of components) {
    if (c.sku === pack) return Either.left({ _tag: 'ContainsItself' });
    if (seen.has(c.sku)) return Either.left({ _tag: 'ComponentTwice', sku: c.sku });
    seen.add(c.sku);
    if (others.has(c.sku)) return Either.left({ _tag: 'NestedPack', sku: c.sku });
  }
  const users = [...others.values()].filter((r) => r.pack !== pack && r.components.some((c) => c.sku === pack)).map((r) => r.pack);
  if (users.length > 0) return Either.left({ _tag: 'UsedAsComponent', packs: users });
  return Either.right(recipe);
};

/** What one line holds: a pack line each of its components (qty × per-pack qty), any other line itself (for the answer's lines; checkoutDemand sums them). */
export const expandPacks =
  (recipes: ReadonlyMap<Sku, PackRecipe>): ExpandLine =>
  (line) => {
    const recipe = recipes.get(line.sku);
    if (recipe === undefined) return holdsItself(line);
    return recipe.components.map((c) => ({ sku: c.sku, qty: Quantity.make(line.qty * c.qty) }));
  };

/** A checkout whose summed demand on one SKU is more than one hold may ask. */
export interface DemandTooLarge {
  readonly _tag: 'DemandTooLarge';
  readonly sku: Sku;
  readonly requested: number;
}

/**
 * Two lines ask for one SKU (itself or as a component) at different locations, or one at a named
 * location and one wherever it is: one reservation holds a SKU at one location.
 */
export interface LocationConflict {
  readonly _tag: 'LocationConflict';
  readonly sku: Sku;
  /** The locations asked, `null` for a line that named none. */
  readonly locations: ReadonlyArray<LocationId | null>;
}

export type DemandProblem = DemandTooLarge | LocationConflict;

export const describeDemandProblem = (p: DemandProblem): string =>
  p._tag === 'DemandTooLarge'
    ? `the lines ask ${p.requested} units of ${p.sku} in all (packs expanded); one reservation holds at most ${MaxQuantity} of a SKU`
    : `the lines ask ${p.sku} (itself or in a pack) at ${p.locations.map((l) => l ?? 'any location').join(' and at ')}: one reservation holds a SKU at one location; give every line that includes it the same location, or none`;

/** What one line of a checkout holds, each SKU with its units (a pack line: its components × the line's qty). */
export interface LineShare {
  readonly line: CheckoutLine;
  /** The pack's recipe when the line is a pack (as it was when the hold was placed). */
  readonly pack: boolean;
  readonly holds: ReadonlyArray<HoldDemand>;
}

export interface CheckoutDemand {
  /** One hold per SKU, summed across every line, in the order SKUs first appear. */
  readonly holds: ReadonlyArray<HoldDemand>;
  /** Each line as asked, with what it holds. */
  readonly lines: ReadonlyArray<LineShare>;
}

/**
 * The holds a checkout asks for: pack lines expanded to their components, then summed per SKU across
 * every line (singles and packs alike) before any owner decides. Refused as a whole when one SKU's sum
 * passes `MaxQuantity` (a hold never asks more than that), or when lines ask one SKU at different locations.
 */
export const checkoutDemand = (
  lines: ReadonlyArray<CheckoutLine>,
  recipes: ReadonlyMap<Sku, PackRecipe>,
): Either.Either<CheckoutDemand, DemandProblem> => {
  // Summed here rather than by demandOf: a per-line product may pass MaxQuantity, which a Quantity cannot hold.
  const totals = new Map<Sku, { qty: number; readonly location: LocationId | null }>();
  const shares: Array<{ readonly line: CheckoutLine; readonly pack: boolean; readonly parts: ReadonlyArray<{ readonly sku: Sku; readonly qty: number }> }> = [];
  for (const line of lines) {
    const recipe = recipes.get(line.sku);
    const parts = recipe === undefined ? [{ sku: line.sku, qty: line.qty }] : recipe.components.map((c) => ({ sku: c.sku, qty: line.qty * c.qty }));
    shares.push({ line, pack: recipe !== undefined, parts });
    const location = line.location ?? null;
    for (const part of parts) {
      const total = totals.get(part.sku);
      if (total === undefined) totals.set(part.sku, { qty: part.qty, location });
      else if (total.location !== location) return Either.left({ _tag: 'LocationConflict', sku: part.sku, locations: [total.location, location] });
      else total.qty += part.qty;
    }
  }
  for (const [sku, { qty }] of totals) if (qty > MaxQuantity) return Either.left({ _tag: 'DemandTooLarge', sku, requested: qty });
  const at = (location: LocationId | null) => (location === null ? {} : { location });
  // A Map keeps the order SKUs first appear in, as demandOf does.
  return Either.right({
    holds: [...totals].map(([sku, { qty, location }]) => ({ sku, qty: Quantity.make(qty), ...at(location) })),
    lines: shares.map(({ line, pack, parts }) => ({ line, pack, holds: parts.map((p) => ({ sku: p.sku, qty: Quantity.make(p.qty), ...at(line.location ?? null) })) })),
  });
};

/**
 * Packs the components make: the least over components of floor(available ÷ per-pack qty); 0 when a
 * component is unknown (no stock yet) or the recipe is empty.
 */
export const packAvailable = (recipe: PackRecipe, availableOf: (sku: Sku) => number | undefined): number => {
  if (recipe.components.length === 0) return 0;
  let packs = Number.POSITIVE_INFINITY;
  for (const c of recipe.components) {
    const available = availableOf(c.sku);
    if (available === undefined) return 0;
    packs = Math.min(packs, Math.floor(Math.max(0, available) / c.qty));
  }
  return packs;
};
