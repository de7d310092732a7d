// Decodes a DATABASE_URL-style string (`postgresql://user[:password]@host[:port]/db[?sslmode=…]`) into
// connection fields. An Effect Schema so a malformed URL fails with a message naming what is wrong, not
// deep inside pg. Any other query parameter is refused rather than ignored: a silently dropped
// `sslmode=require` would connect in plain text.
import { ParseResult, Schema } from 'effect';

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The `sslmode` values node-postgres honours (it cannot do libpq's `prefer`/`allow` fallback). */
const SslMode = Schema.Literal('disable', 'no-verify', 'require', 'verify-ca', 'verify-full');
const isSslMode = Schema.is(SslMode);

export const PostgresConnection = Schema.Struct({
  host: Schema.NonEmptyString,
  port: Schema.Int.pipe(Schema.between(1, 65_535)),
  user: Schema.NonEmptyString,
  password: Schema.optionalWith(Schema.String, { exact: true }),
  dbName: Schema.NonEmptyString,
  sslmode: Schema.optionalWith(SslMode, { exact: true }),
});
export type PostgresConnection = typeof PostgresConnection.Type;

const parseUrl = (text: string) => {
  try {
    return ParseResult.succeed(new URL(text));
  } catch {
    return ParseResult.fail(new ParseResult.Type(Schema.String.ast, text, 'not a URL'));
  }
};


/** The query parameters, or why they cannot be honoured (only `sslmode`, and only what node-postgres does). */
const sslmodeOf = (url: URL): { readonly sslmode?: typeof SslMode.Type } | string => {
  const unknown = [...url.searchParams.keys()].filter((k) => k !== 'sslmode');
  if (unknown.length > 0) return `unsupported parameter(s) ${unknown.join(', ')} (only sslmode is read; PG* environment variables set the rest)`;
  const mode = url.searchParams.get('sslmode');
  if (mode === null) return {};
  if (isSslMode(mode)) return { sslmode: mode };
  return mode === 'prefer' || mode === 'allow'
    ? `sslmode=${mode} is not supported (node-postgres cannot fall back between TLS and plain text): use require or disable`
    : `sslmode=${mode} is not one of ${SslMode.literals.join(', ')}`;
};

export const PostgresUrl = Schema.transformOrFail(Schema.String, PostgresConnection, {
  strict: true,
  decode: (text, _options, ast) =>
    ParseResult.flatMap(parseUrl(text), (url) => {
      if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
        return ParseResult.fail(new ParseResult.Type(ast, text, `expected a postgresql:// URL, got ${url.protocol}//`));
      }
      const ssl = sslmodeOf(url);
      if (typeof ssl === 'string') return ParseResult.fail(new ParseResult.Type(ast, text, ssl));
      return ParseResult.succeed({
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? 5432 : Number(url.port),
        user: decodeURIComponent(url.username),
        ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
        dbName: decodeURIComponent(url.pathname.replace(/^\//, '')),
        ...ssl,
      });
    }),
  encode: (c) =>
    ParseResult.succeed(
      `postgresql://${encodeURIComponent(c.user)}${c.password === undefined ? '' : `:${encodeURIComponent(c.password)}`}` +
        `@${c.host}:${c.port}/${encodeURIComponent(c.dbName)}${c.sslmode === undefined ? '' : `?sslmode=${c.sslmode}`}`,
    ),
});
