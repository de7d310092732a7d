// Idempotency-Key records of POSTs other than holds (DESIGN.md §6), in the replicated `requests` KV
// bucket every instance shares, in the same key space as holds (a key answers one request, whatever
// its route: ADR 0012). The first request with a key claims it (a KV create); its answer is stored for
// a day and replayed to any retry with the same body; another body or route is refused (422), and a
// retry while the first is still running gets 409. A claim whose request never finished (its instance
// died) is taken over after `inFlightTtlMs`. 5xx answers are not stored, so a retry runs again.
import { createHash } from 'node:crypto';
import { keyDigestOf } from '../Reservations/DerivedIds.js';
import type { AnswerRecord } from '../Reservations/ReservationRecord.js';
import type { RequestRecords } from '../Reservations/RequestRecords.js';

export type Claim =
  /** `revision`: the claim's, so the answer replaces it without another read. */
  | { readonly _tag: 'Claimed'; readonly revision: number }
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

export const makeIdempotencyStore = (records: RequestRecords, options: IdempotencyOptions) => {
  const now = options.clock ?? Date.now;
  const inFlight = (fingerprint: string): AnswerRecord => ({ v: 2, kind: 'answer', fingerprint, state: 'in_flight', since: now() });

  const claim = async (actor: string, key: string, fingerprint: string, attempts = 3): Promise<Claim> => {
    const digest = keyDigestOf(actor, key);
    const created = await records.create(digest, inFlight(fingerprint));
    if (created._tag === 'Written') return { _tag: 'Claimed', revision: created.revision };
    const found = await records.get(digest);
    // Purged between the create and the get: try again.
    if (found === undefined) return attempts > 1 ? claim(actor, key, fingerprint, attempts - 1) : { _tag: 'InFlight' };
    const record = found.record;
    if (record.kind !== 'answer' || record.fingerprint !== fingerprint) return { _tag: 'Mismatch' };
    if (record.state === 'done') return { _tag: 'Replay', status: record.status ?? 200, body: record.body, headers: record.headers ?? {} };
    if (now() - record.since < options.inFlightTtlMs) return { _tag: 'InFlight' };
    // Its instance died mid-request: take the key over (compare-and-set, so only one retry does).
    const taken = await records.update(digest, inFlight(fingerprint), found.revision);
    return taken._tag === 'Written' ? { _tag: 'Claimed', revision: taken.revision } : { _tag: 'InFlight' };
  };

  return {
    claim: (actor: string, key: string, fingerprint: string) => claim(actor, key, fingerprint),
    complete: async (
      actor: string,
      key: string,
      fingerprint: string,
      answer: { readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> },
      claimed: number,
    ) => {
      const done: AnswerRecord = { v: 2, kind: 'answer', fingerprint, state: 'done', since: now(), status: answer.status, body: answer.body, headers: answer.headers ?? {} };
      // Over our claim; stale only if a retry took the key over (our instance looked dead), and then
      // that retry records the same request's answer.
      await records.update(keyDigestOf(actor, key), done, claimed);
    },
    release: (actor: string, key: string) => records.purge(keyDigestOf(actor, key)),
  };
};

export type IdempotencyStore = ReturnType<typeof makeIdempotencyStore>;
