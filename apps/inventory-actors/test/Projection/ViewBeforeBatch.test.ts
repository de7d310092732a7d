// Specification of the baseline the projector takes for a SKU it has not published: the view just
// before the batch, read back from the levels the batch's events carry.
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis } from '@larder/domain';
import { stockViewOf } from '../../src/Projection/StockViewOf.js';
import { viewBeforeBatch } from '../../src/Projection/ViewBeforeBatch.js';
import { decidedSku, policy, reserve, restock, sale, t0 } from './Fixtures/DecidedSku.js';

const asOf = EpochMillis.make(t0);

describe('given a brand-new SKU', () => {
  it('had nothing before its first restock', () => {
    const batch = decidedSku('N-1').run(restock(5));
    expect(viewBeforeBatch(batch, asOf)).toMatchObject({ onHand: 0, available: 0, status: 'out', locations: [{ location: 'main', onHand: 0 }] });
  });
});

describe('given 8 on hand with a threshold of 3 and 2 held', () => {
  it('equals the view after the previous batch, whatever this batch did', () => {
    const jerky = decidedSku('N-2');
    const previous = jerky.run(restock(8), policy({ lowStockThreshold: 3 }), reserve('r1', 2));
    const batch = jerky.run(sale(4), policy({ lowStockThreshold: 6, safetyStock: 1 }), policy({ lowStockThreshold: 1 }), restock(1, 'cold'));
    const expected = stockViewOf(previous.state, batch.seq, asOf);
    const before = viewBeforeBatch(batch, asOf);
    expect({ ...before, locations: before.locations.filter((l) => l.location === 'main') }).toStrictEqual(expected);
    expect(before.locations.find((l) => l.location === 'cold')).toMatchObject({ onHand: 0, available: 0 });
  });
});
