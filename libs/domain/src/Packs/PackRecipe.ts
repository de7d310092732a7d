// Packs (DESIGN.md §10 "Packs"): a variety pack has no stock of its own; it is made of component SKUs,
// each so many per pack. These are its rules, pure: what a recipe may be, what a pack line of a checkout
// asks of each component (summed with every other line before any owner decides — the defect of
// medusajs/medusa#16502 is two lines sharing a component each checked against the same units), and how
// many packs the components' available units make.
import { Either } from 'effect';
import type { CheckoutLine, ExpandLine, HoldDemand } from '../Checkout/CheckoutDemand.js';
import { holdsItself } from '../Checkout/CheckoutDemand.js';
import type { Sku } from '../Ids.js';
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
 * The holds a checkout asks for: pack lines expanded to their components, then summed per SKU across
 * every line (singles and packs alike) before any owner decides. Refused as a whole when one SKU's sum
 * passes `MaxQuantity` (a hold never asks more than that).
 */
export const checkoutDemand = (
  lines: ReadonlyArray<CheckoutLine>,
  recipes: ReadonlyMap<Sku, PackRecipe>,
): Either.Either<ReadonlyArray<HoldDemand>, DemandTooLarge> => {
  // Summed here rather than by demandOf: a per-line product may pass MaxQuantity, which a Quantity cannot hold.
  const totals = new Map<Sku, number>();
  for (const line of lines) {
    const recipe = recipes.get(line.sku);
    const parts = recipe === undefined ? [{ sku: line.sku, qty: line.qty }] : recipe.components.map((c) => ({ sku: c.sku, qty: line.qty * c.qty }));
    for (const part of parts) totals.set(part.sku, (totals.get(part.sku) ?? 0) + part.qty);
  }
  for (const [sku, requested] of totals) if (requested > MaxQuantity) return Either.left({ _tag: 'DemandTooLarge', sku, requested });
  // A Map keeps the order SKUs first appear in, as demandOf does.
  return Either.right([...totals].map(([sku, qty]) => ({ sku, qty: Quantity.make(qty) })));
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
