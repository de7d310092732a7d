// The ledger cursor: base64url of `seq.idx`, round-tripped exactly, and anything else refused as a cursor.
import { Either, Schema } from 'effect';
import { describe, expect, it } from 'vitest';
import { encodeLedgerCursor, LedgerCursor } from '../../src/index.js';

const decode = Schema.decodeUnknownEither(LedgerCursor);
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('a cursor made from a position', () => {
  it('is base64url of "seq.idx" and decodes back to the same position', () => {
    expect(encodeLedgerCursor({ seq: 42, idx: 3 })).toBe(base64url('42.3'));
    for (const position of [{ seq: 1, idx: 0 }, { seq: 2 ** 40 + 7, idx: 12 }, { seq: Number.MAX_SAFE_INTEGER, idx: 999_999 }]) {
      expect(decode(encodeLedgerCursor(position))).toEqual(Either.right(position));
    }
  });

  it('is what the schema encodes a position to', () => {
    expect(Schema.encodeSync(LedgerCursor)({ seq: 9, idx: 1 })).toBe(encodeLedgerCursor({ seq: 9, idx: 1 }));
  });
});

describe('a string that is not a cursor', () => {
  it.each([
    ['empty', ''],
    ['not base64url', '**not-a-cursor**'],
    ['padded base64', Buffer.from('42.3').toString('base64')],
    ['no idx', base64url('42')],
    ['seq 0', base64url('0.1')],
    ['leading zeros', base64url('042.3')],
    ['negative idx', base64url('42.-1')],
    ['beyond 2^53', base64url('9007199254740993.0')],
    ['trailing text', base64url('42.3 ')],
  ])('is refused: %s', (_, cursor) => {
    expect(Either.isLeft(decode(cursor))).toBe(true);
  });
});
