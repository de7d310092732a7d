// EventBatch on inv.evt.<shard>.<sku>: one group commit of one SKU, read strictly (the journal).
import { describe, expect, it } from '@effect/vitest';
import { Event, Sku } from '@larder/domain';
import { Arbitrary, FastCheck } from 'effect';
import { decodeEventBatch, encodeEventBatch, EventBatch } from '../../src/index.js';
import { jsonBytes, reserved, shortfall } from '../Fixtures/DomainFixtures.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';

const batch = EventBatch.make({ v: 1, epoch: 3, events: [reserved, shortfall] });

// Any 1–5 domain events, all moved onto one SKU (a batch never mixes SKUs).
const anyBatch = FastCheck.tuple(
  Arbitrary.make(Sku),
  FastCheck.array(Arbitrary.make(Event), { minLength: 1, maxLength: 5 }),
  FastCheck.nat(),
).map(([sku, events, epoch]) => ({ epoch, events: events.map((event) => ({ ...event, sku })) }));

describe('EventBatch', () => {
  it('round-trips real events', () => {
    expectDecoded(decodeEventBatch(encodeEventBatch(batch)), batch);
  });

  it.prop('round-trips any batch of one SKU', [anyBatch], ([{ epoch, events }]) => {
    const [first, ...rest] = events;
    expect(first).toBeDefined();
    if (first === undefined) return;
    const value = EventBatch.make({ v: 1, epoch, events: [first, ...rest] });
    expectDecoded(decodeEventBatch(encodeEventBatch(value)), value);
  });

  it('refuses an unknown version', () => {
    expectDecodeError(decodeEventBatch(jsonBytes({ ...batch, v: 2 })), 'unsupported wire version 2');
  });

  it('refuses an empty batch', () => {
    expectDecodeError(decodeEventBatch(jsonBytes({ v: 1, epoch: 3, events: [] })), 'events');
  });

  it('refuses events of two SKUs', () => {
    const other = { ...shortfall, sku: 'BILTONG-ORIGINAL-200G' };
    expectDecodeError(decodeEventBatch(jsonBytes({ v: 1, epoch: 3, events: [reserved, other] })), 'one SKU', 'BILTONG-ORIGINAL-200G');
  });

  it('refuses an unknown event and names the tag', () => {
    const events = [{ ...reserved, _tag: 'StockTeleported' }];
    expectDecodeError(decodeEventBatch(jsonBytes({ v: 1, epoch: 3, events })), 'events.0._tag', '"StockTeleported"');
  });

  it('refuses a missing or negative epoch', () => {
    expectDecodeError(decodeEventBatch(jsonBytes({ v: 1, events: [reserved] })), 'epoch: is missing');
    expectDecodeError(decodeEventBatch(jsonBytes({ v: 1, epoch: -1, events: [reserved] })), 'epoch');
  });

  it('refuses unknown fields (the journal is read strictly)', () => {
    const events = [{ ...reserved, colour: 'red' }];
    expectDecodeError(decodeEventBatch(jsonBytes({ v: 1, epoch: 3, events })), 'events.0.colour', 'unexpected');
  });
});
