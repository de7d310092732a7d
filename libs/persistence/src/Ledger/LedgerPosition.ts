// A place in the ledger, (seq, idx), and its opaque cursor for HTTP paging: base64url of `seq.idx`.
// The cursor is decoded strictly (canonical base64url, canonical numbers), so a tampered one is refused.
import { ParseResult, Schema } from 'effect';

export const LedgerPosition = Schema.Struct({
  seq: Schema.Int.pipe(Schema.positive()),
  idx: Schema.Int.pipe(Schema.nonNegative()),
});
export type LedgerPosition = typeof LedgerPosition.Type;

const plain = /^([1-9][0-9]{0,15})\.(0|[1-9][0-9]{0,8})$/;
const base64url = /^[A-Za-z0-9_-]{1,64}$/;

export const encodeLedgerCursor = (position: LedgerPosition): string =>
  Buffer.from(`${position.seq}.${position.idx}`, 'utf8').toString('base64url');

/** A cursor string ⇄ the position it names. */
export const LedgerCursor = Schema.transformOrFail(Schema.String, LedgerPosition, {
  strict: true,
  decode: (cursor, _options, ast) => {
    const refuse = () => ParseResult.fail(new ParseResult.Type(ast, cursor, 'not a ledger cursor (use the nextCursor of a previous page)'));
    if (!base64url.test(cursor)) return refuse();
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    const match = plain.exec(text);
    if (match === null || Buffer.from(text, 'utf8').toString('base64url') !== cursor) return refuse();
    const seq = Number(match[1]);
    const idx = Number(match[2]);
    return Number.isSafeInteger(seq) ? ParseResult.succeed({ seq, idx }) : refuse();
  },
  encode: (position) => ParseResult.succeed(encodeLedgerCursor(position)),
}).annotations({ identifier: 'LedgerCursor', description: 'an opaque cursor: the nextCursor of a previous page' });
