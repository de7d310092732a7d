// Idempotency records in Redis, shared by every API instance (DESIGN.md §6): the first request
// with a key claims it (one round trip: SET NX or read what is there); its answer is stored for
// 24 h and replayed to any retry with the same body; a different body is refused (422), and a
// retry while the first is still running gets 409. 5xx answers are not stored, so a retry runs again.
import { createHash } from 'node:crypto';
import { Either, Schema } from 'effect';
import type { Redis } from 'ioredis';

const Stored = Schema.Union(
  Schema.Struct({ state: Schema.Literal('in_flight'), fingerprint: Schema.String }),
  Schema.Struct({
    state: Schema.Literal('done'),
    fingerprint: Schema.String,
    status: Schema.Int,
    body: Schema.Unknown,
    headers: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  }),
);
const decodeStored = Schema.decodeUnknownEither(Schema.parseJson(Stored));

export type Claim =
  | { readonly _tag: 'Claimed' }
  | { readonly _tag: 'Replay'; readonly status: number; readonly body: unknown; readonly headers: Readonly<Record<string, string>> }
  | { readonly _tag: 'InFlight' }
  | { readonly _tag: 'Mismatch' };

// Atomically: claim the key if free, else return what it holds.
const claimScript = `
local set = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
if set then return false end
return redis.call('GET', KEYS[1])`;

export interface IdempotencyOptions {
  readonly prefix: string;
  /** How long an answer is replayed. */
  readonly ttlMs: number;
  /** How long a claim by a request that never finished (its instance died) blocks the key. */
  readonly inFlightTtlMs: number;
}

export const fingerprintOf = (method: string, url: string, body: unknown) =>
  createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('base64url');

export const makeIdempotencyStore = (redis: Redis, options: IdempotencyOptions) => {
  const keyOf = (actor: string, key: string) => `${options.prefix}idem:${actor}:${key}`;
  return {
    claim: async (actor: string, key: string, fingerprint: string): Promise<Claim> => {
      const held = await redis.eval(claimScript, 1, keyOf(actor, key), JSON.stringify({ state: 'in_flight', fingerprint }), options.inFlightTtlMs);
      if (held === null) return { _tag: 'Claimed' };
      const stored = decodeStored(String(held));
      // An unreadable record (written by a future version?) is treated as taken, never overwritten.
      if (Either.isLeft(stored) || stored.right.fingerprint !== fingerprint) {
        return Either.isLeft(stored) ? { _tag: 'InFlight' } : { _tag: 'Mismatch' };
      }
      const record = stored.right;
      return record.state === 'in_flight'
        ? { _tag: 'InFlight' }
        : { _tag: 'Replay', status: record.status, body: record.body, headers: record.headers ?? {} };
    },
    complete: async (
      actor: string,
      key: string,
      fingerprint: string,
      answer: { readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> },
    ) => {
      const record = { state: 'done', fingerprint, status: answer.status, body: answer.body, headers: answer.headers ?? {} };
      await redis.set(keyOf(actor, key), JSON.stringify(record), 'PX', options.ttlMs);
    },
    release: async (actor: string, key: string) => {
      await redis.del(keyOf(actor, key));
    },
  };
};

export type IdempotencyStore = ReturnType<typeof makeIdempotencyStore>;
