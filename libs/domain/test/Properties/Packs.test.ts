// Property of packs and singles in one checkout: whatever the cart and the stock, summing the demand
// per component before the owners decide, then the checkout decision and its releases, never drives a
// component below zero and never leaves part of a reservation held.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { Either } from 'effect';
import { checkoutDemand, decideHold, Quantity, Sku, type CheckoutLine, type PackRecipe } from '../../src/index.js';
import { makeOwners } from '../Packs/PackOwners.js';

const singles = ['S-A', 'S-B', 'S-C', 'S-D'].map((s) => Sku.make(s));
const packs = ['P-AB', 'P-AAC', 'P-BCD'].map((s) => Sku.make(s));
const recipeArb: fc.Arbitrary<ReadonlyMap<Sku, PackRecipe>> = fc
  .tuple(...packs.map(() => fc.uniqueArray(fc.constantFrom(...singles), { minLength: 1, maxLength: 3 }).chain((skus) => fc.tuple(fc.constant(skus), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: skus.length, maxLength: skus.length })))))
  .map((shapes) => new Map(shapes.map(([skus, qtys], i) => {
    const pack = packs[i] ?? Sku.make('P-X');
    return [pack, { pack, components: skus.map((sku, j) => ({ sku, qty: Quantity.make(qtys[j] ?? 1) })) }] as const;
  })));
const cartArb = fc.array(fc.record({ sku: fc.constantFrom(...singles, ...packs), qty: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 5 });
const stockArb = fc.tuple(...singles.map(() => fc.nat({ max: 12 })));

describe('given random carts of packs and singles against random stock', () => {
  it('never drives a component below zero and never leaves part of a reservation held', () => {
    fc.assert(
      fc.property(recipeArb, fc.array(cartArb, { minLength: 1, maxLength: 6 }), stockArb, (recipes, carts, stock) => {
        const owners = makeOwners(new Map(singles.map((sku, i) => [sku, stock[i] ?? 0])));
        carts.forEach((cart, n) => {
          const lines: ReadonlyArray<CheckoutLine> = cart.map((l) => ({ sku: l.sku, qty: Quantity.make(l.qty) }));
          const demand = Either.getOrThrow(checkoutDemand(lines, recipes)).holds;
          // What each SKU must be asked, worked out here from the recipes: every line's share, summed.
          const expected = new Map<Sku, number>();
          for (const l of lines) {
            for (const c of recipes.get(l.sku)?.components ?? [{ sku: l.sku, qty: 1 }]) expected.set(c.sku, (expected.get(c.sku) ?? 0) + l.qty * c.qty);
          }
          expect(new Map(demand.map((d) => [d.sku, Number(d.qty)]))).toStrictEqual(expected);
          const id = `cart-${n}`;
          const decision = decideHold({ derivedId: true, generation: 0, replies: owners.hold(id, demand) });
          if (decision._tag !== 'Held' && 'release' in decision) owners.release(id, decision.release);
          const held = demand.filter((d) => owners.isHeld(d.sku, id)).length;
          // All or nothing.
          expect(held === 0 || held === demand.length, `${id}: ${held} of ${demand.length} components held after ${decision._tag}`).toBe(true);
          expect(held === demand.length).toBe(decision._tag === 'Held');
          // A held cart holds, at each SKU, exactly its summed demand.
          if (decision._tag === 'Held') for (const d of demand) expect(owners.heldQty(d.sku, id)).toBe(expected.get(d.sku));
        });
        for (const sku of singles) {
          const { onHand, reserved } = owners.levels(sku);
          expect(reserved).toBeLessThanOrEqual(onHand);
          expect(reserved).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
