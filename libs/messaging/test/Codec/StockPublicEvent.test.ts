// StockPublicEvent on stock.v1.<kind>.<sku>: the analysts' contract, read tolerantly.
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis, Quantity } from '@larder/domain';
import { Either } from 'effect';
import { decodeStockPublicEvent, encodeStockPublicEvent, StockPublicEvent } from '../../src/index.js';
import { jsonBytes, location, now, sku } from '../Fixtures/DomainFixtures.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';

const changed = StockPublicEvent.make({
  v: 1,
  kind: 'changed',
  sku,
  location,
  onHand: 10,
  reserved: 2,
  available: 7,
  safetyStock: 1,
  seq: 4_711,
  at: EpochMillis.make(now),
});
const short = StockPublicEvent.make({ ...changed, kind: 'shortfall', onHand: -2, available: 0, shortfall: Quantity.make(2) });

describe('StockPublicEvent', () => {
  it.each([changed, short])('round-trips a $kind event', (event) => {
    expectDecoded(decodeStockPublicEvent(encodeStockPublicEvent(event)), event);
  });

  it.prop('round-trips any event', [StockPublicEvent], ([any]) => {
    expectDecoded(decodeStockPublicEvent(encodeStockPublicEvent(any)), any);
  });

  it('refuses an unknown version', () => {
    expectDecodeError(decodeStockPublicEvent(jsonBytes({ ...changed, v: 2 })), 'unsupported wire version 2');
  });

  it('refuses an unknown kind', () => {
    expectDecodeError(decodeStockPublicEvent(jsonBytes({ ...changed, kind: 'gone' })), 'kind');
  });

  it('refuses a shortfall without units, and units without a shortfall', () => {
    expectDecodeError(decodeStockPublicEvent(jsonBytes({ ...changed, kind: 'shortfall' })), 'shortfall is present exactly when');
    expectDecodeError(decodeStockPublicEvent(jsonBytes({ ...changed, shortfall: 2 })), 'shortfall is present exactly when');
  });

  it('refuses a SKU that could not be a subject token', () => {
    expectDecodeError(decodeStockPublicEvent(jsonBytes({ ...changed, sku: 'a.b' })), 'sku');
  });

  it('drops unknown fields (tolerant reader)', () => {
    const result = decodeStockPublicEvent(jsonBytes({ ...changed, lot: 'L-1' }));
    expect(result).toEqual(Either.right(changed));
  });
});
