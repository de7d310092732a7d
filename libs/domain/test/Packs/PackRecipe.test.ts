// Specification of packs (DESIGN.md §10 "Packs"): a pack has no stock of its own; a pack line holds its
// components; demand is summed per component across every line before any owner decides, so the
// medusajs/medusa#16502 cart (a 5-pack of Original and a variety pack, with 5 Original on hand) is
// refused whole instead of taking 6 of 5; packs available = min floor(available ÷ per-pack qty).
import { describe, expect, it } from '@effect/vitest';
import { Either } from 'effect';
import {
  checkoutDemand,
  checkRecipe,
  decideHold,
  describeRecipeProblem,
  expandPacks,
  LocationId,
  MaxPackComponents,
  packAvailable,
  Quantity,
  Sku,
  type CheckoutLine,
  type PackRecipe,
} from '../../src/index.js';
import { makeOwners } from './PackOwners.js';

const original = Sku.make('JERKY-ORIGINAL-50G');
const teriyaki = Sku.make('JERKY-TERIYAKI-50G');
const ghost = Sku.make('JERKY-GHOST-PEPPER-50G');
const original5 = Sku.make('JERKY-ORIGINAL-5-PACK');
const variety = Sku.make('JERKY-VARIETY-3X50G');

const q = Quantity.make;
const line = (sku: Sku, qty: number): CheckoutLine => ({ sku, qty: q(qty) });
const recipe = (pack: Sku, ...components: ReadonlyArray<readonly [Sku, number]>): PackRecipe => ({ pack, components: components.map(([sku, qty]) => ({ sku, qty: q(qty) })) });
const recipes = new Map<Sku, PackRecipe>([
  [original5, recipe(original5, [original, 5])],
  [variety, recipe(variety, [original, 1], [teriyaki, 1], [ghost, 1])],
]);
const demandOrThrow = (lines: ReadonlyArray<CheckoutLine>) => Either.getOrThrow(checkoutDemand(lines, recipes)).holds;

describe('given the medusa#16502 cart: an Original 5-pack and a variety pack', () => {
  const cart = [line(original5, 1), line(variety, 1)];

  it('when expanded, then Original is asked once, for 6 (5 + 1), before any owner decides', () => {
    expect(demandOrThrow(cart)).toStrictEqual([
      { sku: original, qty: 6 },
      { sku: teriyaki, qty: 1 },
      { sku: ghost, qty: 1 },
    ]);
  });

  it('when 5 Original are on hand, then it is refused whole, nothing stays held, and Original still has 5 available', () => {
    const owners = makeOwners(new Map([[original, 5], [teriyaki, 10], [ghost, 10]]));
    const decision = decideHold({ derivedId: true, generation: 0, replies: owners.hold('cart-16502', demandOrThrow(cart)) });
    expect(decision).toMatchObject({ _tag: 'Refused', short: [{ sku: original, requested: 6, available: 5 }] });
    if (decision._tag === 'Refused') owners.release('cart-16502', decision.release);
    for (const sku of [original, teriyaki, ghost]) expect(owners.isHeld(sku, 'cart-16502')).toBe(false);
    expect(owners.levels(original)).toStrictEqual({ onHand: 5, reserved: 0, available: 5 });
    expect(owners.levels(teriyaki)).toStrictEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('when 6 Original are on hand, then every component is held and Original reaches 0, never below', () => {
    const owners = makeOwners(new Map([[original, 6], [teriyaki, 10], [ghost, 10]]));
    const decision = decideHold({ derivedId: true, generation: 0, replies: owners.hold('cart-ok', demandOrThrow(cart)) });
    expect(decision._tag).toBe('Held');
    expect(owners.levels(original)).toStrictEqual({ onHand: 6, reserved: 6, available: 0 });
    for (const sku of [original, teriyaki, ghost]) expect(owners.isHeld(sku, 'cart-ok')).toBe(true);
  });

  it('then each line shows the component holds under it, as asked', () => {
    expect(expandPacks(recipes)(line(variety, 2))).toStrictEqual([
      { sku: original, qty: 2 },
      { sku: teriyaki, qty: 2 },
      { sku: ghost, qty: 2 },
    ]);
    expect(expandPacks(recipes)(line(teriyaki, 3))).toStrictEqual([{ sku: teriyaki, qty: 3 }]);
  });
});

describe('given a cart whose summed demand on one component passes the most one hold may ask', () => {
  it('when expanded, then it is refused whole as DemandTooLarge, naming the component and the sum', () => {
    const huge = recipe(Sku.make('HUGE-PACK'), [original, 1_000]);
    expect(checkoutDemand([line(huge.pack, 1_000), line(original, 1)], new Map([[huge.pack, huge]]))).toStrictEqual(
      Either.left({ _tag: 'DemandTooLarge', sku: original, requested: 1_000_001 }),
    );
  });
});

describe('given lines that name locations', () => {
  const tpl = LocationId.make('3pl');

  it('when a variety pack at 3pl and a Teriyaki line at 3pl share Teriyaki, then it is summed there and each line keeps its share', () => {
    const demand = Either.getOrThrow(checkoutDemand([{ ...line(variety, 2), location: tpl }, { ...line(teriyaki, 1), location: tpl }], recipes));
    expect(demand.holds).toStrictEqual([
      { sku: original, qty: 2, location: tpl },
      { sku: teriyaki, qty: 3, location: tpl },
      { sku: ghost, qty: 2, location: tpl },
    ]);
    expect(demand.lines.map((l) => [l.line.sku, l.pack, l.holds.map((h) => `${h.sku}×${h.qty}`)])).toStrictEqual([
      [variety, true, [`${original}×2`, `${teriyaki}×2`, `${ghost}×2`]],
      [teriyaki, false, [`${teriyaki}×1`]],
    ]);
  });

  it('when one line names 3pl and another sharing a component names none, then it is refused as LocationConflict', () => {
    expect(checkoutDemand([{ ...line(variety, 1), location: tpl }, line(original, 1)], recipes)).toStrictEqual(
      Either.left({ _tag: 'LocationConflict', sku: original, locations: [tpl, null] }),
    );
  });

  it('when lines share no SKU, then each may name its own location', () => {
    const demand = Either.getOrThrow(checkoutDemand([{ ...line(teriyaki, 1), location: tpl }, line(original, 4)], recipes));
    expect(demand.holds).toStrictEqual([
      { sku: teriyaki, qty: 1, location: tpl },
      { sku: original, qty: 4 },
    ]);
  });
});

describe('packs available', () => {
  const availableOf = (stock: Record<string, number>) => (sku: Sku) => stock[sku];

  it('is the least over components of floor(available ÷ per-pack qty)', () => {
    expect(packAvailable(recipes.get(variety) ?? recipe(variety), availableOf({ [original]: 7, [teriyaki]: 3, [ghost]: 12 }))).toBe(3);
    expect(packAvailable(recipes.get(original5) ?? recipe(original5), availableOf({ [original]: 14 }))).toBe(2);
  });

  it('is 0 when a component has no stock yet, or none available', () => {
    expect(packAvailable(recipes.get(variety) ?? recipe(variety), availableOf({ [original]: 7, [teriyaki]: 3 }))).toBe(0);
    expect(packAvailable(recipes.get(variety) ?? recipe(variety), availableOf({ [original]: 7, [teriyaki]: 0, [ghost]: 9 }))).toBe(0);
  });
});

describe('recipes', () => {
  const check = (r: PackRecipe) => Either.match(checkRecipe(r, recipes), { onLeft: describeRecipeProblem, onRight: () => 'ok' });

  it('accepts a recipe of plain SKUs, and a changed recipe of an existing pack', () => {
    expect(check(recipe(Sku.make('JERKY-DUO'), [teriyaki, 1], [ghost, 1]))).toBe('ok');
    expect(check(recipe(variety, [original, 2], [ghost, 1]))).toBe('ok');
  });

  it('refuses an empty one, one too long, one that contains itself, or lists a component twice', () => {
    expect(check(recipe(Sku.make('EMPTY')))).toBe('a pack needs at least one component');
    const many = Array.from({ length: MaxPackComponents + 1 }, (_, i) => [Sku.make(`C-${i}`), 1] as const);
    expect(check(recipe(Sku.make('BIG'), ...many))).toBe(`a pack has at most ${MaxPackComponents} components; this one has ${MaxPackComponents + 1}`);
    expect(check(recipe(Sku.make('SELF'), [Sku.make('SELF'), 1]))).toBe('a pack cannot be one of its own components');
    expect(check(recipe(Sku.make('TWICE'), [teriyaki, 1], [teriyaki, 2]))).toBe(`component ${teriyaki} is listed twice: give it once with the total qty`);
  });

  it('refuses nesting either way: a pack as a component, or a component made a pack', () => {
    expect(check(recipe(Sku.make('GIFT-BOX'), [variety, 1], [ghost, 1]))).toBe(`component ${variety} is itself a pack: list its components instead (packs are one level deep)`);
    expect(check(recipe(teriyaki, [ghost, 2]))).toBe(`this SKU is a component of ${variety}: it cannot become a pack (packs are one level deep)`);
  });
});
