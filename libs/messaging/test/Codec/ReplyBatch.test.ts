// ReplyBatch: the owner's one-message answer, one outcome per request item.
import { describe, expect, it } from '@effect/vitest';
import { EpochMillis } from '@larder/domain';
import { Either } from 'effect';
import { decodeReplyBatch, encodeReplyBatch, ReplyBatch } from '../../src/index.js';
import { insufficient, jsonBytes, location, now, reserve } from '../Fixtures/DomainFixtures.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';

const batch = ReplyBatch.make({
  v: 1,
  items: [
    {
      id: 'r1',
      outcome: {
        _tag: 'Accepted',
        seq: 4_711,
        levels: { onHand: 10, reserved: 2, safetyStock: 1, available: 7 },
        reservation: {
          reservationId: reserve.reservationId,
          status: 'held',
          qty: reserve.qty,
          expiresAt: EpochMillis.make(now + 900_000),
          location,
        },
      },
    },
    { id: 'r2', outcome: { _tag: 'Accepted', seq: null, levels: { onHand: 10, reserved: 2, safetyStock: 1, available: 7 } } },
    { id: 'r3', outcome: { _tag: 'Rejected', rejection: insufficient } },
    { id: 'r4', outcome: { _tag: 'Retry', reason: 'not_owner', detail: 'shard 16 moved to runner b' } },
  ],
});

describe('ReplyBatch', () => {
  it('round-trips accepted, rejected and retry outcomes', () => {
    expectDecoded(decodeReplyBatch(encodeReplyBatch(batch)), batch);
  });

  it.prop('round-trips any batch', [ReplyBatch], ([any]) => {
    expectDecoded(decodeReplyBatch(encodeReplyBatch(any)), any);
  });

  it('refuses an unknown version', () => {
    expectDecodeError(decodeReplyBatch(jsonBytes({ ...batch, v: 2 })), 'unsupported wire version 2');
  });

  it('refuses an unknown outcome', () => {
    const items = [{ id: 'r1', outcome: { _tag: 'Maybe' } }];
    expectDecodeError(decodeReplyBatch(jsonBytes({ v: 1, items })), 'items.0.outcome._tag', '"Maybe"');
  });

  it('refuses an unknown retry reason', () => {
    const items = [{ id: 'r1', outcome: { _tag: 'Retry', reason: 'tired', detail: '' } }];
    expectDecodeError(decodeReplyBatch(jsonBytes({ v: 1, items })), 'items.0.outcome.reason');
  });

  it('refuses an unknown rejection', () => {
    const items = [{ id: 'r1', outcome: { _tag: 'Rejected', rejection: { ...insufficient, _tag: 'Grumpy' } } }];
    expectDecodeError(decodeReplyBatch(jsonBytes({ v: 1, items })), 'items.0.outcome.rejection._tag');
  });

  it('refuses a zero journal sequence and negative availability', () => {
    const levels = { onHand: 1, reserved: 0, safetyStock: 0, available: 1 };
    expectDecodeError(decodeReplyBatch(jsonBytes({ v: 1, items: [{ id: 'a', outcome: { _tag: 'Accepted', seq: 0, levels } }] })), 'seq');
    const negative = { ...levels, available: -1 };
    expectDecodeError(
      decodeReplyBatch(jsonBytes({ v: 1, items: [{ id: 'a', outcome: { _tag: 'Accepted', seq: 1, levels: negative } }] })),
      'levels.available',
    );
  });

  it('refuses a repeated item id', () => {
    expectDecodeError(decodeReplyBatch(jsonBytes({ v: 1, items: [batch.items[3], batch.items[3]] })), 'appears more than once');
  });

  it('drops unknown fields (tolerant reader)', () => {
    const result = decodeReplyBatch(jsonBytes({ ...batch, servedBy: 'runner-b' }));
    expect(Either.isRight(result)).toBe(true);
  });
});
