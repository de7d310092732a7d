// Decodes a DATABASE_URL-style string (`postgresql://user[:password]@host[:port]/db`) into connection fields.
// An Effect Schema so a malformed URL fails with a message naming what is wrong, not deep inside pg.
import { ParseResult, Schema } from 'effect';

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export const PostgresConnection = Schema.Struct({
  host: Schema.NonEmptyString,
  port: Schema.Int.pipe(Schema.between(1, 65_535)),
  user: Schema.NonEmptyString,
  password: Schema.optionalWith(Schema.String, { exact: true }),
  dbName: Schema.NonEmptyString,
});
export type PostgresConnection = typeof PostgresConnection.Type;

const parseUrl = (text: string) => {
  try {
    return ParseResult.succeed(new URL(text));
  } catch {
    return ParseResult.fail(new ParseResult.Type(Schema.String.ast, text, 'not a URL'));
  }
};

export const PostgresUrl = Schema.transformOrFail(Schema.String, PostgresConnection, {
  strict: true,
  decode: (text, _options, ast) =>
    ParseResult.flatMap(parseUrl(text), (url) =>
      url.protocol === 'postgresql:' || url.protocol === 'postgres:'
        ? ParseResult.succeed({
            host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: url.port === '' ? 5432 : Number(url.port),
            user: decodeURIComponent(url.username),
            ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
            dbName: decodeURIComponent(url.pathname.replace(/^\//, '')),
          })
        : ParseResult.fail(new ParseResult.Type(ast, text, `expected a postgresql:// URL, got ${url.protocol}//`)),
    ),
  encode: (c) =>
    ParseResult.succeed(
      `postgresql://${encodeURIComponent(c.user)}${c.password === undefined ? '' : `:${encodeURIComponent(c.password)}`}` +
        `@${c.host}:${c.port}/${encodeURIComponent(c.dbName)}`,
    ),
});
