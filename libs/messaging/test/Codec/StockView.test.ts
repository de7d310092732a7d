// StockView, the read projection in KV `stock` and the Redis mirror: round trip, refusals, tolerance.
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis, LocationId } from '@larder/domain';
import { Either } from 'effect';
import { decodeStockView, encodeStockView, StockView } from '../../src/index.js';
import { jsonBytes, location, now, sku } from '../Fixtures/DomainFixtures.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';

const view = StockView.make({
  v: 1,
  sku,
  seq: 42,
  asOf: EpochMillis.make(now),
  onHand: 7,
  reserved: 4,
  safetyStock: 1,
  available: 4,
  status: 'low',
  lowStockThreshold: 5,
  shortfall: 2,
  locations: [
    { location: LocationId.make('cold'), onHand: -2, reserved: 0, safetyStock: 0, allocated: 0, available: 0, lowStockThreshold: null, blocked: 0, lots: [], heldFrom: [] },
    { location, onHand: 9, reserved: 4, safetyStock: 1, allocated: 0, available: 4, lowStockThreshold: 5, blocked: 0, lots: [], heldFrom: [] },
  ],
});

describe('StockView', () => {
  it('round-trips a view with two locations', () => {
    expectDecoded(decodeStockView(encodeStockView(view)), view);
  });

  it('round-trips a view with no threshold and no location', () => {
    const empty = StockView.make({ ...view, onHand: 0, reserved: 0, safetyStock: 0, available: 0, status: 'out', lowStockThreshold: null, shortfall: 0, locations: [] });
    expectDecoded(decodeStockView(encodeStockView(empty)), empty);
  });

  it.prop('round-trips any view', [StockView], ([any]) => {
    expectDecoded(decodeStockView(encodeStockView(any)), any);
  });

  it('refuses fractional or negative units where they cannot be', () => {
    expectDecodeError(decodeStockView(jsonBytes({ ...view, available: 1.5 })), 'available');
    expectDecodeError(decodeStockView(jsonBytes({ ...view, reserved: -1 })), 'reserved');
  });

  it('refuses an unknown status and a missing seq', () => {
    expectDecodeError(decodeStockView(jsonBytes({ ...view, status: 'plenty' })), 'status');
    expectDecodeError(decodeStockView(jsonBytes({ ...view, seq: undefined })), 'seq');
  });

  it('refuses an unknown version and bytes that are not JSON', () => {
    expectDecodeError(decodeStockView(jsonBytes({ ...view, v: 2 })), 'unsupported wire version 2');
    expectDecodeError(decodeStockView(new TextEncoder().encode('{"v":1,')), 'not UTF-8 JSON');
  });

  it('reads a view written before drops (no allocated, no drops) as having none', () => {
    const { allocated: _a, drops: _d, locations, ...old } = view;
    const oldLocations = locations.map(({ allocated: _, ...l }) => l);
    expect(decodeStockView(jsonBytes({ ...old, locations: oldLocations }))).toEqual(Either.right(view));
  });

  it('drops unknown fields at the top and in a location (tolerant reader)', () => {
    const [first, second] = view.locations;
    const widened = { ...view, lots: [], locations: [{ ...first, quarantined: 0 }, second] };
    expect(decodeStockView(jsonBytes(widened))).toEqual(Either.right(view));
  });
});
