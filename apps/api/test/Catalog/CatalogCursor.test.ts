// The catalogue's opaque cursor round-trips a SKU and refuses anything it did not make; `q` is literal.
import { Either, Schema } from 'effect';
import { describe, expect, it } from 'vitest';
import { CatalogCursor, encodeCatalogCursor } from '../../src/Catalog/CatalogCursor.js';
import { containsPattern } from '../../src/Catalog/ListCatalog.js';

const decode = Schema.decodeUnknownEither(CatalogCursor);

describe('a cursor', () => {
  it('names the SKU it was made from', () => {
    expect(decode(encodeCatalogCursor('JERKY-100G'))).toEqual(Either.right('JERKY-100G'));
  });

  it.each(['', '!!', Buffer.from('JERKY').toString('base64url'), Buffer.from('1:bad sku').toString('base64url'), `${encodeCatalogCursor('A')}=`])(
    '%j is refused',
    (cursor) => {
      expect(Either.isLeft(decode(cursor))).toBe(true);
    },
  );
});

describe('q', () => {
  it('is a substring pattern with %, _ and \\ taken literally', () => {
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});
