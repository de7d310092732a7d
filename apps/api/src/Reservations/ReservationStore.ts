// Reservation records in Redis, shared by every API instance: created once (a second hold under the
// same id with other terms is refused), read and decoded, and moved to the status an owner confirmed.
// A record lives as long as its hold plus a day.
import type { ReservationId } from '@larder/domain';
import { Either, Schema } from 'effect';
import type { Redis } from 'ioredis';
import { ReservationTerms, StoredReservation, type StoredStatus } from './ReservationRecord.js';

const DayMs = 24 * 60 * 60_000;

// Atomically: create the record if the id is free, else return the terms already there.
const createScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HGET', KEYS[1], 'terms') end
redis.call('HSET', KEYS[1], 'terms', ARGV[1], 'status', 'held')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return false`;

// Only an existing record moves (HSET on a missing key would create one without a TTL).
const statusScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == 'pending' then redis.call('HSET', KEYS[1], 'commitPending', '1') return 1 end
redis.call('HSET', KEYS[1], 'status', ARGV[1])
redis.call('HDEL', KEYS[1], 'commitPending')
return 1`;

const encodeTerms = Schema.encodeSync(Schema.parseJson(ReservationTerms));
const decodeTerms = Schema.decodeUnknownEither(Schema.parseJson(ReservationTerms));
const decodeStored = Schema.decodeUnknownEither(StoredReservation);

export class ReservationRecordError extends Error {
  override readonly name = 'ReservationRecordError';
}

export type CreateResult = { readonly _tag: 'Created' } | { readonly _tag: 'Exists'; readonly terms: ReservationTerms };

export interface ReservationStore {
  readonly create: (terms: ReservationTerms, holdTtlMs: number) => Promise<CreateResult>;
  /** undefined when no record exists (never placed, or older than its hold plus a day). */
  readonly get: (id: ReservationId) => Promise<StoredReservation | undefined>;
  /** Records a confirmed status, or that a commit waits on INV_CMD. */
  readonly mark: (id: ReservationId, status: StoredStatus | 'pending') => Promise<void>;
}

export const makeReservationStore = (redis: Redis, prefix: string): ReservationStore => {
  const keyOf = (id: ReservationId) => `${prefix}res:${id}`;
  return {
    create: async (terms, holdTtlMs) => {
      const held: unknown = await redis.eval(createScript, 1, keyOf(terms.reservationId), encodeTerms(terms), holdTtlMs + DayMs);
      if (held === null) return { _tag: 'Created' };
      const existing = decodeTerms(held);
      if (Either.isLeft(existing)) throw new ReservationRecordError(`reservation ${terms.reservationId}: stored terms do not decode: ${existing.left.message}`);
      return { _tag: 'Exists', terms: existing.right };
    },
    get: async (id) => {
      const fields = await redis.hgetall(keyOf(id));
      if (Object.keys(fields).length === 0) return undefined;
      const stored = decodeStored(fields);
      if (Either.isLeft(stored)) throw new ReservationRecordError(`reservation ${id}: stored record does not decode: ${stored.left.message}`);
      return stored.right;
    },
    mark: async (id, status) => {
      await redis.eval(statusScript, 1, keyOf(id), status);
    },
  };
};
