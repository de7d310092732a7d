// Mirrors StockViews into Redis for readers outside NATS: one hash per SKU at `<prefix>stock:<sku>`,
// written by a Lua script that applies only a higher `seq` than the stored one (idempotent, never
// backwards). Give it a client with `enableOfflineQueue: false` so an outage fails fast.
import type { Sku } from '@larder/domain';
import { decodeStockView, encodeStockView, StockStatus, type StockView } from '@larder/messaging';
import { Effect, Either, Schema } from 'effect';
import type { Redis, Result } from 'ioredis';
import { describeFailure, ProjectionWriteError } from './ProjectionErrors.js';
import type { StockViewWriter } from './StockViewWriter.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** KEYS: the hash. ARGV: seq, asOf, onHand, reserved, safetyStock, available, status, json. 1 = written, 0 = older. */
    larderPutStockView(key: string, ...fields: ReadonlyArray<string | number>): Result<unknown, Context>;
  }
}

const PutStockViewLua = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'seq'))
if stored and stored >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'asOf', ARGV[2], 'onHand', ARGV[3], 'reserved', ARGV[4],
  'safetyStock', ARGV[5], 'available', ARGV[6], 'status', ARGV[7], 'json', ARGV[8])
return 1`;

const PutOutcome = Schema.Literal(0, 1);
const decodePutOutcome = Schema.decodeUnknownEither(PutOutcome);

/** The hash of one SKU: the scalars readers filter on, and `json`, the whole StockView. */
export const RedisStockHash = Schema.Struct({
  seq: Schema.NumberFromString.pipe(Schema.int(), Schema.positive()),
  asOf: Schema.NumberFromString.pipe(Schema.int()),
  onHand: Schema.NumberFromString.pipe(Schema.int()),
  reserved: Schema.NumberFromString.pipe(Schema.int()),
  safetyStock: Schema.NumberFromString.pipe(Schema.int()),
  available: Schema.NumberFromString.pipe(Schema.int()),
  status: StockStatus,
  json: Schema.String,
});
export type RedisStockHash = typeof RedisStockHash.Type;

export const redisStockKey = (prefix: string, sku: Sku): string => `${prefix}stock:${sku}`;

const utf8 = new TextDecoder();

/** ARGV of both Lua writers (the runner's and `larder rebuild-projections`), in the hash's field order. */
export const redisStockFields = (view: StockView) =>
  [view.seq, view.asOf, view.onHand, view.reserved, view.safetyStock, view.available, view.status, utf8.decode(encodeStockView(view))] as const;

export interface RedisStockWriterDeps {
  /** A client without `keyPrefix` (the key is built here from `prefix`). */
  readonly redis: Redis;
  readonly prefix: string;
}

const failure = (detail: string) => new ProjectionWriteError({ target: 'redis', detail });

export const makeRedisStockWriter = ({ redis, prefix }: RedisStockWriterDeps): StockViewWriter => {
  // Sent as EVALSHA (EVAL once per connection when the script is not cached yet).
  redis.defineCommand('larderPutStockView', { numberOfKeys: 1, lua: PutStockViewLua });
  const write = (view: StockView) =>
    Effect.tryPromise({
      try: () =>
        redis.larderPutStockView(redisStockKey(prefix, view.sku), ...redisStockFields(view)),
      catch: (error) => failure(describeFailure(error)),
    }).pipe(
      Effect.flatMap((reply) =>
        Either.match(decodePutOutcome(reply), {
          onLeft: () => Effect.fail(failure(`the stock script answered ${String(reply)}, not 0 or 1`)),
          onRight: () => Effect.void,
        }),
      ),
    );
  return { write };
};

/** The mirrored view of `sku` and its hash, decoded; undefined when there is none. Fails on a bad hash. */
export const readRedisStockView = async (redis: Redis, prefix: string, sku: Sku) => {
  const fields = await redis.hgetall(redisStockKey(prefix, sku));
  if (Object.keys(fields).length === 0) return undefined;
  const hash = Schema.decodeUnknownSync(RedisStockHash)(fields);
  const view = decodeStockView(new TextEncoder().encode(hash.json));
  if (Either.isLeft(view)) throw new Error(view.left.reason);
  return { hash, view: view.right };
};
