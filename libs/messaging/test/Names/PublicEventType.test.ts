// Webhook event types → the one filter subject of an endpoint's consumer (nats-server 2.9: one filter),
// and a STOCK subject → its event type, so the dispatcher skips what the endpoint did not ask for.
import { describe, expect, it } from 'vitest';
import { Sku } from '@larder/domain';
import { makeNames, Namespace, PublicEventTypes, publicEventFilter, publicEventTypeOf, Shards } from '../../src/index.js';

const names = makeNames(Namespace.make('larder'), { shards: Shards.make(4) });

describe('publicEventFilter', () => {
  it('narrows to one type’s subjects for one type', () => {
    expect(publicEventFilter(names, ['stock.v1.low'])).toBe('larder.stock.v1.low.>');
    expect(publicEventFilter(names, ['stock.v1.low', 'stock.v1.low'])).toBe('larder.stock.v1.low.>');
    expect(publicEventFilter(names, ['stock.v1.drop.soldout'])).toBe('larder.stock.v1.drop.soldout.>');
  });
  it('takes every drop event for several drop types, and the whole stream otherwise', () => {
    expect(publicEventFilter(names, ['stock.v1.drop.opened', 'stock.v1.drop.closed'])).toBe('larder.stock.v1.drop.>');
    expect(publicEventFilter(names, ['stock.v1.changed', 'stock.v1.out'])).toBe('larder.stock.v1.>');
    expect(publicEventFilter(names, ['stock.v1.changed', 'stock.v1.drop.opened'])).toBe('larder.stock.v1.>');
  });
});

describe('publicEventTypeOf', () => {
  it('reads the type of every subject Names builds', () => {
    const sku = Sku.make('jerky-original-100g');
    expect(publicEventTypeOf(names, names.stock.subject('back', sku))).toBe('stock.v1.back');
    expect(publicEventTypeOf(names, names.stock.dropSubject('opened', 'ghost', sku))).toBe('stock.v1.drop.opened');
  });
  it('knows nothing else', () => {
    expect(publicEventTypeOf(names, 'other.stock.v1.back.x')).toBeUndefined();
    expect(publicEventTypeOf(names, 'larder.stock.v2.back.x')).toBeUndefined();
    expect(publicEventTypeOf(names, 'larder.stock.v1.drop.started.d.x')).toBeUndefined();
  });
  it('lists the thirteen public types', () => {
    expect(PublicEventTypes).toEqual([
      'stock.v1.changed', 'stock.v1.low', 'stock.v1.out', 'stock.v1.back', 'stock.v1.shortfall',
      'stock.v1.drop.opened', 'stock.v1.drop.soldout', 'stock.v1.drop.closed',
      'stock.v1.lot.expiring', 'stock.v1.lot.removed', 'stock.v1.lot.quarantined', 'stock.v1.lot.released',
      'stock.v1.notify',
    ]);
  });

  it('reads a lot event’s subject as its type, and filters lot events alone on stock.v1.lot.>', () => {
    expect(publicEventTypeOf(names, `${names.namespace}.stock.v1.lot.expiring.JERKY-1`)).toBe('stock.v1.lot.expiring');
    expect(publicEventFilter(names, ['stock.v1.lot.quarantined', 'stock.v1.lot.released'])).toBe(`${names.namespace}.stock.v1.lot.>`);
  });

  it('reads a notify-me event’s subject as stock.v1.notify, filtered alone on its own subjects', () => {
    expect(publicEventTypeOf(names, names.stock.notifySubject(Sku.make('JERKY-1')))).toBe('stock.v1.notify');
    expect(publicEventFilter(names, ['stock.v1.notify'])).toBe(`${names.namespace}.stock.v1.notify.>`);
  });
});
