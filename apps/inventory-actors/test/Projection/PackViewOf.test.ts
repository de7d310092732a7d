// Specification of a variety pack's read projection: packs its components make, in all and per
// location, and the version of its stalest component (DESIGN.md §10 "Packs").
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis, Quantity, Sku } from '@larder/domain';
import type { PackRecipeRecord, StockView } from '@larder/messaging';
import { packViewOf, samePackView } from '../../src/Projection/PackViewOf.js';
import { decidedSku, policy, reserve, restock, sale, t0, viewAfter } from './Fixtures/DecidedSku.js';

const pack = Sku.make('JERKY-VARIETY');
const recipeUpdatedAt = EpochMillis.make(t0 - 60_000);

const recipe = (...components: ReadonlyArray<readonly [Sku, number]>): PackRecipeRecord => ({
  v: 1,
  kind: 'pack',
  pack,
  components: components.map(([sku, qty]) => ({ sku, qty: Quantity.make(qty) })),
  updatedAt: recipeUpdatedAt,
  updatedBy: 'user:buyer',
});

/** Looks component views up by SKU, as the projector's map does; a SKU not given has no view. */
const viewsOf =
  (...views: ReadonlyArray<StockView>) =>
  (sku: Sku) =>
    views.find((v) => v.sku === sku);

describe('given Original 7, Teriyaki 3 and Ghost 10 available, one of each per pack', () => {
  const original = decidedSku('ORIGINAL', 10);
  const teriyaki = decidedSku('TERIYAKI', 20);
  const ghost = decidedSku('GHOST', 30);
  const views = viewsOf(viewAfter(original.run(restock(7))), viewAfter(teriyaki.run(restock(3))), viewAfter(ghost.run(restock(10))));
  const view = packViewOf(recipe([original.sku, 1], [teriyaki.sku, 1], [ghost.sku, 1]), views);

  it('makes 3 packs, limited by Teriyaki, and holds nothing itself', () => {
    expect(view).toMatchObject({
      v: 1,
      sku: pack,
      kind: 'pack',
      available: 3,
      onHand: 3,
      reserved: 0,
      safetyStock: 0,
      shortfall: 0,
      allocated: 0,
      lowStockThreshold: null,
      status: 'in_stock',
      drops: [],
    });
  });

  it('lists each component in recipe order with its available and version', () => {
    expect(view.components).toStrictEqual([
      { sku: original.sku, qty: 1, available: 7, seq: 10 },
      { sku: teriyaki.sku, qty: 1, available: 3, seq: 20 },
      { sku: ghost.sku, qty: 1, available: 10, seq: 30 },
    ]);
  });

  it('has the same 3 packs at main, the only location', () => {
    expect(view.locations).toStrictEqual([
      { location: 'main', onHand: 3, reserved: 0, safetyStock: 0, allocated: 0, available: 3, lowStockThreshold: null, blocked: 0, lots: [], heldFrom: [] },
    ]);
  });
});

describe('given 12 Original available and a pack of 5 Original', () => {
  it('makes 2 packs (the 2 left over make none)', () => {
    const original = decidedSku('ORIGINAL');
    const view = packViewOf(recipe([original.sku, 5]), viewsOf(viewAfter(original.run(restock(12)))));
    expect(view).toMatchObject({ available: 2, onHand: 2, status: 'in_stock' });
  });
});

describe('given Original 10 on hand with 6 held, and Teriyaki 4, two Original per pack', () => {
  it('counts packs from available and from on hand separately', () => {
    const original = decidedSku('ORIGINAL');
    const teriyaki = decidedSku('TERIYAKI');
    original.run(restock(10));
    const views = viewsOf(viewAfter(original.run(reserve('r1', 6))), viewAfter(teriyaki.run(restock(4))));
    const view = packViewOf(recipe([original.sku, 2], [teriyaki.sku, 1]), views);
    expect(view).toMatchObject({ available: 2, onHand: 4, reserved: 0 });
    expect(view.components.map((c) => c.available)).toStrictEqual([4, 4]);
  });
});

describe('given Original at main and cold, and Teriyaki only at main', () => {
  const original = decidedSku('ORIGINAL');
  const teriyaki = decidedSku('TERIYAKI');
  const views = viewsOf(viewAfter(original.run(restock(6, 'main'), restock(8, 'cold'))), viewAfter(teriyaki.run(restock(2, 'main'))));
  const view = packViewOf(recipe([original.sku, 1], [teriyaki.sku, 1]), views);

  it('makes no pack at cold, where Teriyaki has none, and 2 at main (sorted by location)', () => {
    expect(view.locations.map((l) => [l.location, l.available, l.onHand])).toStrictEqual([
      ['cold', 0, 0],
      ['main', 2, 2],
    ]);
  });

  it('makes 2 packs in all, from the totals', () => {
    expect(view.available).toBe(2);
  });
});

describe('given a component sold below zero on hand', () => {
  it('counts its negative on hand as no packs, never fewer', () => {
    const original = decidedSku('ORIGINAL');
    const teriyaki = decidedSku('TERIYAKI');
    original.run(restock(1));
    const views = viewsOf(viewAfter(original.run(sale(3))), viewAfter(teriyaki.run(restock(5))));
    const view = packViewOf(recipe([original.sku, 1], [teriyaki.sku, 1]), views);
    expect(view).toMatchObject({ available: 0, onHand: 0, status: 'out' });
    expect(view.locations).toMatchObject([{ location: 'main', available: 0, onHand: 0 }]);
  });
});

describe('given a component with no view yet', () => {
  const original = decidedSku('ORIGINAL', 8);
  const ghost = Sku.make('GHOST');
  const view = packViewOf(recipe([original.sku, 1], [ghost, 1]), viewsOf(viewAfter(original.run(restock(9)))));

  it('makes no pack and is out', () => {
    expect(view).toMatchObject({ available: 0, onHand: 0, status: 'out' });
    expect(view.locations).toMatchObject([{ location: 'main', available: 0 }]);
  });

  it('lists the unknown component with 0 available at version 0', () => {
    expect(view.components).toStrictEqual([
      { sku: original.sku, qty: 1, available: 9, seq: 8 },
      { sku: ghost, qty: 1, available: 0, seq: 0 },
    ]);
  });

  it('is at version 0, as of the recipe', () => {
    expect({ seq: view.seq, asOf: view.asOf }).toStrictEqual({ seq: 0, asOf: recipeUpdatedAt });
  });
});

describe('given no component has a view yet', () => {
  it('has no location and is out', () => {
    const view = packViewOf(recipe([Sku.make('ORIGINAL'), 1]), viewsOf());
    expect(view).toMatchObject({ available: 0, status: 'out', locations: [], seq: 0, asOf: recipeUpdatedAt });
  });
});

describe('given components last changed at different times', () => {
  it('takes the version and time of the one with the oldest change', () => {
    const fresh = decidedSku('FRESH', 50);
    const stale = decidedSku('STALE', 40);
    // Each SKU's commands are a second apart from t0: FRESH's third command is later than STALE's first.
    fresh.run(restock(1));
    fresh.run(restock(1));
    const freshView = viewAfter(fresh.run(restock(1)));
    const staleView = viewAfter(stale.run(restock(1)));
    const view = packViewOf(recipe([fresh.sku, 1], [stale.sku, 1]), viewsOf(freshView, staleView));
    expect(staleView.asOf).toBeLessThan(freshView.asOf);
    expect({ seq: view.seq, asOf: view.asOf }).toStrictEqual({ seq: 40, asOf: staleView.asOf });
  });
});

describe('given a written pack view of 2 Original per pack, with Original 9 and Teriyaki 5 (the older)', () => {
  const setUp = () => {
    const original = decidedSku('ORIGINAL', 10);
    const teriyaki = decidedSku('TERIYAKI', 20);
    const teriyakiView = viewAfter(teriyaki.run(restock(5)));
    original.run(restock(1));
    const r = recipe([original.sku, 2], [teriyaki.sku, 1]);
    const written = packViewOf(r, viewsOf(viewAfter(original.run(restock(8))), teriyakiView));
    return { original, teriyakiView, r, written };
  };

  it('is the same view after Original changes without moving its packs or its available', () => {
    const { original, teriyakiView, r, written } = setUp();
    // A threshold changes Original's seq, not its units: the pack's version is Teriyaki's, the older.
    const next = packViewOf(r, viewsOf(viewAfter(original.run(policy({ lowStockThreshold: 2 }))), teriyakiView));
    expect(next.components[0]?.seq).not.toBe(written.components[0]?.seq);
    expect(samePackView(written, next)).toBe(true);
  });

  it('differs once a unit of Original is sold, though the packs stay 4', () => {
    const { original, teriyakiView, r, written } = setUp();
    const next = packViewOf(r, viewsOf(viewAfter(original.run(sale(1))), teriyakiView));
    expect(next.available).toBe(written.available);
    expect(samePackView(written, next)).toBe(false);
  });
});
