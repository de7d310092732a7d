// The catalogue over real HTTP (DESIGN.md §10 "Back office and the shop"): GET /v1/skus pages every
// entry by SKU with its policy and live stock, filters by text and by status without ever returning a
// short page before the last, and GET /v1/skus/{sku} adds per-location levels and drops.
import { Schema } from 'effect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, problem, problemOf } from '../Support/Bodies.js';
import { makeSystemFixture, uniqueSku, type SystemFixture } from '../Support/SystemFixture.js';

const Status = Schema.Literal('in_stock', 'low', 'out');
const Item = Schema.Struct({
  sku: Schema.String,
  name: Schema.String,
  policy: Schema.Struct({ lowStockThreshold: Schema.NullOr(Schema.Int), safetyStock: Schema.Int }),
  status: Status,
  stock: Schema.NullOr(Schema.Struct({ onHand: Schema.Int, reserved: Schema.Int, allocated: Schema.Int, available: Schema.Int, version: Schema.Int, asOf: Schema.String })),
});
const Page = Schema.Struct({ items: Schema.Array(Item), nextCursor: Schema.NullOr(Schema.String) });
const Detail = Schema.Struct({
  ...Item.fields,
  stock: Schema.NullOr(
    Schema.Struct({
      onHand: Schema.Int,
      available: Schema.Int,
      version: Schema.Int,
      locations: Schema.Array(Schema.Struct({ location: Schema.String, onHand: Schema.Int })),
      drops: Schema.Array(Schema.Unknown),
    }),
  ),
});
const StatusBody = Schema.Struct({ status: Status });

let f: SystemFixture;
/** Every SKU of this file by the status it is given: 8 in stock, 5 low, 6 never stocked (out). */
const made: Record<'in_stock' | 'low' | 'out', Array<string>> = { in_stock: [], low: [], out: [] };

/** Polls the stock read until it reports `status`. */
const waitForStatus = async (sku: string, status: string) => {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const answer = await f.api.get(`/v1/stock/${sku}`);
    if (answer.status === 200 && decodeBody(StatusBody, answer).status === status) return;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`${sku} never read as ${status}`);
};

beforeAll(async () => {
  f = await makeSystemFixture();
  // Without a threshold no policy reaches the actor, so a never-stocked SKU has no stock view at all.
  const put = async (sku: string, name: string, threshold: number | undefined) =>
    expect((await f.api.put(`/v1/skus/${sku}`, threshold === undefined ? { name } : { name, lowStockThreshold: threshold })).status).toBe(201);
  const plan: ReadonlyArray<{ status: keyof typeof made; count: number; stock: number; name: string }> = [
    { status: 'in_stock', count: 8, stock: 50, name: 'Original beef jerky 100 g' },
    { status: 'low', count: 5, stock: 3, name: 'Teriyaki jerky 50 g' },
    { status: 'out', count: 6, stock: 0, name: 'Ghost pepper jerky 100% heat' },
  ];
  await Promise.all(
    plan.flatMap((p) =>
      Array.from({ length: p.count }, async () => {
        const sku = uniqueSku(`CAT-${p.status.toUpperCase().replace('_', '')}`);
        made[p.status].push(sku);
        await put(sku, p.name, p.stock > 0 ? 5 : undefined);
        if (p.stock > 0) {
          await f.seedStock(sku, p.stock);
          await waitForStatus(sku, p.status);
        }
      }),
    ),
  );
});
afterAll(async () => f?.cleanup());

const page = async (query: string) => decodeBody(Page, await f.api.get(`/v1/skus?${query}`));

/** Follows nextCursor to the end; returns each page's size and every item in order. */
const walk = async (query: string) => {
  const sizes: Array<number> = [];
  const items: Array<typeof Item.Type> = [];
  let cursor: string | null = null;
  do {
    const p = await page(`${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    sizes.push(p.items.length);
    items.push(...p.items);
    cursor = p.nextCursor;
  } while (cursor !== null && sizes.length < 100);
  return { sizes, items };
};

const all = () => [...made.in_stock, ...made.low, ...made.out];

describe('GET /v1/skus', () => {
  it('pages every entry once, by SKU, full pages until the last', async () => {
    const { sizes, items } = await walk('limit=5');
    expect(sizes).toEqual([5, 5, 5, 4]);
    expect(items.map((i) => i.sku).sort()).toEqual(all().sort());
    expect(new Set(items.map((i) => i.sku)).size).toBe(19);
  });

  it('answers 50 by default, with the policy and the live figures of each entry', async () => {
    const first = await page('');
    expect(first.items).toHaveLength(19);
    expect(first.nextCursor).toBeNull();
    const stocked = first.items.find((i) => i.sku === made.in_stock[0]);
    expect(stocked).toMatchObject({ name: 'Original beef jerky 100 g', policy: { lowStockThreshold: 5, safetyStock: 0 }, status: 'in_stock', stock: { onHand: 50, available: 50 } });
    expect(first.items.find((i) => i.sku === made.out[0])).toMatchObject({ status: 'out', stock: null });
  });

  it.each(['in_stock', 'low', 'out'] as const)('filters status=%s across pages without a short page before the last', async (status) => {
    const { sizes, items } = await walk(`limit=2&status=${status}`);
    expect(items.map((i) => i.sku).sort()).toEqual([...made[status]].sort());
    expect(items.every((i) => i.status === status)).toBe(true);
    expect(sizes.slice(0, -1).every((n) => n === 2)).toBe(true);
  });

  it('keeps the unfiltered order when filtered', async () => {
    const { items: everything } = await walk('limit=500');
    const { items: low } = await walk('limit=1&status=low');
    expect(low.map((i) => i.sku)).toEqual(everything.filter((i) => i.status === 'low').map((i) => i.sku));
  });

  it('finds q as a case-insensitive substring of the name or the SKU, with % and _ taken literally', async () => {
    expect((await walk('limit=3&q=TERIYAKI')).items.map((i) => i.sku).sort()).toEqual([...made.low].sort());
    expect((await walk('limit=3&q=cat-instock')).items.map((i) => i.sku).sort()).toEqual([...made.in_stock].sort());
    expect((await walk('q=100%25')).items.map((i) => i.sku).sort()).toEqual([...made.out].sort());
    expect((await page('q=_')).items).toEqual([]);
    expect((await walk('limit=1&q=jerky&status=low')).items).toHaveLength(5);
  });

  it('refuses a cursor that is not one, a limit out of range and an unknown status with 400', async () => {
    for (const query of ['cursor=bm90LWEtY3Vyc29y', 'cursor=%21%21', 'limit=0', 'limit=501', 'status=plenty']) {
      expect(problemOf(await f.api.get(`/v1/skus?${query}`)), query).toEqual(problem(400, 'invalid-request'));
    }
  });
});

describe('GET /v1/skus/{sku}', () => {
  it('answers the entry with per-location levels and its drops', async () => {
    const sku = made.low[0] ?? '';
    const detail = decodeBody(Detail, await f.api.get(`/v1/skus/${sku}`));
    expect(detail).toMatchObject({ sku, name: 'Teriyaki jerky 50 g', status: 'low', policy: { lowStockThreshold: 5, safetyStock: 0 } });
    expect(detail.stock?.locations).toEqual([expect.objectContaining({ location: 'main', onHand: 3 })]);
    expect(detail.stock?.drops).toEqual([]);
  });

  it('answers a catalogued SKU that never had stock with stock null', async () => {
    expect(decodeBody(Detail, await f.api.get(`/v1/skus/${made.out[0] ?? ''}`))).toMatchObject({ status: 'out', stock: null });
  });

  it('is a 404 problem for a SKU not in the catalogue', async () => {
    expect(problemOf(await f.api.get(`/v1/skus/${uniqueSku('NOT-CATALOGUED')}`))).toEqual(problem(404, 'not-found'));
  });
});
