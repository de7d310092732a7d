// RequestBatch on inv.req.<shard>: one message per shard per event-loop turn; strict like commands.
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis } from '@larder/domain';
import { decodeRequestBatch, encodeRequestBatch, RequestBatch } from '../../src/index.js';
import { jsonBytes, now, reserve, sale } from '../Fixtures/DomainFixtures.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';

const deadline = EpochMillis.make(now + 2_000);
const batch = RequestBatch.make({
  v: 1,
  items: [
    { id: 'r1', command: reserve, deadline },
    { id: 'r2', command: sale, deadline },
  ],
});

describe('RequestBatch', () => {
  it('round-trips a batch of real commands', () => {
    expectDecoded(decodeRequestBatch(encodeRequestBatch(batch)), batch);
  });

  it.prop('round-trips any batch', [RequestBatch], ([any]) => {
    expectDecoded(decodeRequestBatch(encodeRequestBatch(any)), any);
  });

  it('refuses an unknown version', () => {
    expectDecodeError(decodeRequestBatch(jsonBytes({ ...batch, v: 3 })), 'unsupported wire version 3');
  });

  it('refuses an empty batch', () => {
    expectDecodeError(decodeRequestBatch(jsonBytes({ v: 1, items: [] })), 'items');
  });

  it('refuses a repeated item id', () => {
    const items = [batch.items[0], batch.items[0]];
    expectDecodeError(decodeRequestBatch(jsonBytes({ v: 1, items })), 'item id "r1" appears more than once');
  });

  it('refuses an unknown command inside an item and says where', () => {
    const items = [{ id: 'r1', command: { ...reserve, _tag: 'Steal' }, deadline }];
    expectDecodeError(decodeRequestBatch(jsonBytes({ v: 1, items })), 'items.0.command._tag', '"Steal"');
  });

  it('refuses a wrong deadline type', () => {
    const items = [{ id: 'r1', command: reserve, deadline: 'soon' }];
    expectDecodeError(decodeRequestBatch(jsonBytes({ v: 1, items })), 'items.0.deadline');
  });

  it('refuses an empty id', () => {
    expectDecodeError(decodeRequestBatch(jsonBytes({ v: 1, items: [{ id: '', command: reserve, deadline }] })), 'items.0.id');
  });

  it('carries a traceparent per item, only on the items that have one', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const traced = RequestBatch.make({ v: 1, items: [{ id: 'r1', command: reserve, deadline, traceparent }, { id: 'r2', command: sale, deadline }] });
    expectDecoded(decodeRequestBatch(encodeRequestBatch(traced)), traced);
    const text = new TextDecoder().decode(encodeRequestBatch(traced));
    expect(text.match(/traceparent/g)).toHaveLength(1);
  });

  it('writes a batch without traceparents byte for byte as before tracing existed', () => {
    const expected = JSON.stringify({ v: 1, items: batch.items.map(({ id, command, deadline }) => ({ id, command, deadline })) });
    expect(new TextDecoder().decode(encodeRequestBatch(batch))).toBe(expected);
  });

  it('refuses a malformed traceparent and says where', () => {
    const items = [{ id: 'r1', command: reserve, deadline, traceparent: 'not-a-trace' }];
    expectDecodeError(decodeRequestBatch(jsonBytes({ v: 1, items })), 'items.0.traceparent');
  });

  it('refuses unknown fields', () => {
    const items = [{ id: 'r1', command: reserve, deadline, priority: 1 }];
    expectDecodeError(decodeRequestBatch(jsonBytes({ v: 1, items })), 'items.0.priority', 'unexpected');
  });
});
