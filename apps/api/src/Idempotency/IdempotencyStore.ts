// Idempotency records of POSTs other than holds (a hold's record is its reservation's: ADR 0012), in
// the replicated `idempotency` KV bucket shared by every API instance (DESIGN.md §6): the first request
// with a key claims it (a KV create); its answer is stored for 24 h and replayed to any retry with the
// same body; a different body is refused (422), and a retry while the first is still running gets 409.
// A claim whose request never finished (its instance died) is taken over after `inFlightTtlMs`.
// 5xx answers are not stored, so a retry runs again.
import { createHash } from 'node:crypto';
import type { Names } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { keyDigestOf } from '../Reservations/DerivedIds.js';
import { Either, Schema } from 'effect';

const Stored = Schema.Union(
  Schema.Struct({ state: Schema.Literal('in_flight'), fingerprint: Schema.String, since: Schema.Number }),
  Schema.Struct({
    state: Schema.Literal('done'),
    fingerprint: Schema.String,
    status: Schema.Int,
    body: Schema.Unknown,
    headers: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  }),
);
type Stored = typeof Stored.Type;
const decodeStored = Schema.decodeUnknownEither(Schema.parseJson(Stored));

export type Claim =
  | { readonly _tag: 'Claimed' }
  | { readonly _tag: 'Replay'; readonly status: number; readonly body: unknown; readonly headers: Readonly<Record<string, string>> }
  | { readonly _tag: 'InFlight' }
  | { readonly _tag: 'Mismatch' };

export interface IdempotencyOptions {
  /** How long a claim by a request that never finished (its instance died) blocks the key. */
  readonly inFlightTtlMs: number;
  /** Epoch ms (tests pass a clock). */
  readonly clock?: () => number;
}

export const fingerprintOf = (method: string, url: string, body: unknown) =>
  createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('base64url');


/** JetStream's "wrong last sequence": the key was written since (or exists, for a create). */
const isStale = (error: unknown) => error instanceof Error && /wrong last sequence/i.test(error.message);

export const makeIdempotencyStore = (kv: KV, names: Names, options: IdempotencyOptions) => {
  const keyOf = (actor: string, key: string) => names.keys.idempotency(keyDigestOf(actor, key));
  const now = options.clock ?? Date.now;
  const inFlight = (fingerprint: string) => JSON.stringify({ state: 'in_flight', fingerprint, since: now() } satisfies Stored);

  const claim = async (actor: string, key: string, fingerprint: string, attempts = 3): Promise<Claim> => {
    const k = keyOf(actor, key);
    try {
      await kv.create(k, inFlight(fingerprint));
      return { _tag: 'Claimed' };
    } catch (error) {
      if (!isStale(error)) throw error;
    }
    const entry = await kv.get(k);
    // Deleted or purged between the create and the get: try again.
    if (entry === null || entry.operation !== 'PUT') return attempts > 1 ? claim(actor, key, fingerprint, attempts - 1) : { _tag: 'InFlight' };
    const stored = decodeStored(entry.string());
    // An unreadable record (written by a future version?) is treated as taken, never overwritten.
    if (Either.isLeft(stored)) return { _tag: 'InFlight' };
    const record = stored.right;
    if (record.fingerprint !== fingerprint) return { _tag: 'Mismatch' };
    if (record.state === 'done') return { _tag: 'Replay', status: record.status, body: record.body, headers: record.headers ?? {} };
    if (now() - record.since < options.inFlightTtlMs) return { _tag: 'InFlight' };
    // Its instance died mid-request: take the key over (compare-and-set, so only one retry does).
    try {
      await kv.update(k, inFlight(fingerprint), entry.revision);
      return { _tag: 'Claimed' };
    } catch (error) {
      if (isStale(error)) return { _tag: 'InFlight' };
      throw error;
    }
  };

  return {
    claim: (actor: string, key: string, fingerprint: string) => claim(actor, key, fingerprint),
    complete: async (
      actor: string,
      key: string,
      fingerprint: string,
      answer: { readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> },
    ) => {
      const record: Stored = { state: 'done', fingerprint, status: answer.status, body: answer.body, headers: answer.headers ?? {} };
      await kv.put(keyOf(actor, key), JSON.stringify(record));
    },
    release: async (actor: string, key: string) => {
      await kv.purge(keyOf(actor, key));
    },
  };
};

export type IdempotencyStore = ReturnType<typeof makeIdempotencyStore>;
