// The Redis mirror for the rebuild: the hash's `seq` and `json` fields are the token, and a replace is
// a Lua script that rewrites the whole hash (the same fields the runner's writer sets) only if both are
// still what was read. The runner's own writer only ever raises `seq`, so it is never overwritten.
import type { Sku } from '@larder/domain';
import { decodeStockView, type StockView } from '@larder/messaging';
import { Effect, Either, Schema } from 'effect';
import type { Redis } from 'ioredis';
import { compareHash, compareViews } from '../Audit/CompareProjections.js';
import { RedisStockHash, redisStockFields, redisStockKey } from '../Projection/RedisStockWriter.js';
import { CliError, describeError } from './CliErrors.js';
import type { StoredView, ViewStore } from './ViewStore.js';

export interface RedisToken {
  /** The raw fields, '' when missing. */
  readonly seq: string;
  readonly json: string;
}

/** KEYS: the hash. ARGV: expected seq, expected json ('' = missing), then seq, asOf, onHand, reserved, safetyStock, available, status, json. */
const ReplaceLua = `
local seq = redis.call('HGET', KEYS[1], 'seq') or ''
local json = redis.call('HGET', KEYS[1], 'json') or ''
if seq ~= ARGV[1] or json ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'seq', ARGV[3], 'asOf', ARGV[4], 'onHand', ARGV[5], 'reserved', ARGV[6],
  'safetyStock', ARGV[7], 'available', ARGV[8], 'status', ARGV[9], 'json', ARGV[10])
return 1`;

const decodeHash = Schema.decodeUnknownEither(RedisStockHash);
const decodeOutcome = Schema.decodeUnknownEither(Schema.Literal(0, 1));

export const makeRedisViewStore = (redis: Redis, prefix: string): ViewStore<RedisToken> => {
  const fail = (sku: Sku, what: string) => (error: unknown) => new CliError({ message: `Redis ${what} ${redisStockKey(prefix, sku)}: ${describeError(error)}` });

  const read = (sku: Sku) =>
    Effect.tryPromise({ try: () => redis.hgetall(redisStockKey(prefix, sku)), catch: fail(sku, 'cannot read') }).pipe(
      Effect.map((fields): StoredView<RedisToken> => {
        const token = { seq: fields['seq'] ?? '', json: fields['json'] ?? '' };
        const none = { token, seq: null, differences: () => [] };
        if (Object.keys(fields).length === 0) return { ...none, unreadable: undefined };
        const hash = decodeHash(fields);
        if (Either.isLeft(hash)) return { ...none, unreadable: `the hash does not decode: ${hash.left.message}` };
        const view = decodeStockView(new TextEncoder().encode(hash.right.json));
        if (Either.isLeft(view)) return { ...none, unreadable: `its json does not decode: ${view.left.reason}` };
        return {
          token,
          seq: hash.right.seq,
          unreadable: undefined,
          differences: (expected: StockView) => [...compareViews(expected, view.right), ...compareHash(expected, hash.right)],
        };
      }),
    );

  const replace = (sku: Sku, token: RedisToken, view: StockView) =>
    Effect.tryPromise({
      try: () =>
        redis.eval(
          ReplaceLua,
          1,
          redisStockKey(prefix, sku),
          token.seq,
          token.json,
          ...redisStockFields(view),
        ),
      catch: fail(sku, 'cannot write'),
    }).pipe(
      Effect.flatMap((reply) =>
        Either.match(decodeOutcome(reply), {
          onLeft: () => Effect.fail(new CliError({ message: `Redis: the rebuild script answered ${String(reply)}, not 0 or 1` })),
          onRight: (written) => Effect.succeed(written === 1),
        }),
      ),
    );

  return { name: 'redis', read, replace };
};
