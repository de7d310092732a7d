// The opaque cursor of GET /v1/skus: base64url of `1:<sku>`, the last SKU of the previous page (keyset
// paging by SKU). Decoded strictly — canonical base64url naming a valid SKU — so a tampered one is a 400.
import { Sku } from '@larder/domain';
import { ParseResult, Schema } from 'effect';

const base64url = /^[A-Za-z0-9_-]{1,100}$/;
const isSku = Schema.is(Sku);

export const encodeCatalogCursor = (after: string): string => Buffer.from(`1:${after}`, 'utf8').toString('base64url');

/** A cursor string ⇄ the SKU the next page starts after. */
export const CatalogCursor = Schema.transformOrFail(Schema.String, Sku, {
  strict: true,
  decode: (cursor, _options, ast) => {
    const refuse = () => ParseResult.fail(new ParseResult.Type(ast, cursor, 'not a catalogue cursor (pass the nextCursor of a previous page, unchanged)'));
    if (!base64url.test(cursor)) return refuse();
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith('1:') || Buffer.from(text, 'utf8').toString('base64url') !== cursor) return refuse();
    const sku = text.slice(2);
    return isSku(sku) ? ParseResult.succeed(sku) : refuse();
  },
  encode: (sku) => ParseResult.succeed(encodeCatalogCursor(sku)),
}).annotations({ identifier: 'CatalogCursor', description: 'an opaque cursor: the nextCursor of a previous page' });
