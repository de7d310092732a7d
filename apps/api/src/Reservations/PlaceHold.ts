// POST /v1/reservations as a shell around the checkout decider (libs/domain Checkout): ask every SKU's
// owner for its hold at once, let `decideHold` say what that means, release what it says to release,
// and keep the outcome in the reservation's record (ADR 0012), which is also the answer a retry with the
// same Idempotency-Key gets, from any instance, for a day.
//
// One SKU: nothing can be partly held, so the owner is asked first and the record written after (one
// KV write per hold). Several SKUs, or a client-chosen id: the record is written first as `placing`
// with a marker, so if this instance dies mid-way a sweep releases the holds (AbandonedHolds.ts).
import {
  decideHold,
  demandOf,
  MaxHoldAttempts,
  type Actor,
  type CustomerId,
  type EpochMillis,
  type HoldDecision,
  type OrderId,
  type ReservationId,
  type ReserveStock,
  type ShortHold,
  type Sku,
  type TtlSeconds,
} from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askOwner } from './AskOwner.js';
import { compensate } from './Compensate.js';
import { derivedId, derivedReservationId, keyDigestOf } from './DerivedIds.js';
import { wasHeld, type ReservationRecord, type StoredAnswer, type StoredLine } from './ReservationRecord.js';
import type { ReservationRecords } from './ReservationRecords.js';

export interface HoldRequest {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  /** Digest of the POST (caller, key, URL, body). */
  readonly fingerprint: string;
  /** Chosen by the client; undefined: derived from the actor and the key. */
  readonly reservationId: ReservationId | undefined;
  readonly orderId: OrderId | undefined;
  readonly customerId: CustomerId | undefined;
  readonly lines: ReadonlyArray<StoredLine>;
  readonly ttlSeconds: TtlSeconds;
  readonly now: EpochMillis;
}

export type HoldResult =
  | { readonly _tag: 'Held'; readonly record: ReservationRecord; readonly replayed: boolean }
  /** A 4xx this key was answered with before (or just now): the same status and body. */
  | { readonly _tag: 'Refused'; readonly answer: StoredAnswer; readonly replayed: boolean }
  | { readonly _tag: 'Conflict'; readonly reservationId: ReservationId }
  | { readonly _tag: 'KeyReused' }
  | { readonly _tag: 'Closed'; readonly reservationId: ReservationId; readonly status: string }
  | { readonly _tag: 'Unavailable'; readonly detail: string };

export interface HoldDeps {
  readonly gateway: CommandGateway;
  readonly records: ReservationRecords;
  /** The 409 `insufficient-stock` answer for these short holds (stored, then replayed). */
  readonly refusal: (short: ReadonlyArray<ShortHold>) => StoredAnswer;
}

/** What an existing record means for a request that finds it under its id. */
const answerOf = (record: ReservationRecord, request: HoldRequest, derived: boolean): HoldResult | 'redo' | 'spent' => {
  if (record.fingerprint !== request.fingerprint) {
    // Under an id derived from the key, another body means the key was reused; a client id is someone's.
    return derived || record.keyDigest === keyDigestOf(request.actor, request.idempotencyKey)
      ? { _tag: 'KeyReused' }
      : { _tag: 'Conflict', reservationId: record.reservationId };
  }
  if (wasHeld(record)) return { _tag: 'Held', record, replayed: true };
  if (record.state === 'refused' && record.answer !== undefined) return { _tag: 'Refused', answer: record.answer, replayed: true };
  return record.state === 'placing' ? 'redo' : 'spent';
};

export const placeHold = async (deps: HoldDeps, request: HoldRequest): Promise<HoldResult> => {
  const derived = request.reservationId === undefined;
  const holds = demandOf(request.lines);
  const recordFirst = holds.length > 1 || !derived;

  const attempt = async (generation: number): Promise<HoldResult> => {
    const reservationId = request.reservationId ?? derivedReservationId(request.actor, request.idempotencyKey, generation);
    const base: ReservationRecord = {
      v: 2,
      reservationId,
      actor: request.actor,
      lines: request.lines,
      holds,
      fingerprint: request.fingerprint,
      keyDigest: keyDigestOf(request.actor, request.idempotencyKey),
      ttlSeconds: request.ttlSeconds,
      receivedAt: request.now,
      ...(request.orderId === undefined ? {} : { orderId: request.orderId }),
      ...(request.customerId === undefined ? {} : { customerId: request.customerId }),
      state: 'placing',
    };
    let revision: number | undefined;
    if (recordFirst) {
      const created = await deps.records.create(base);
      if (created._tag === 'Stale') {
        const existing = await deps.records.get(reservationId);
        if (existing === undefined) return { _tag: 'Unavailable', detail: `the record of ${reservationId} changed while it was read` };
        const known = answerOf(existing.record, request, derived);
        if (known === 'spent') return derived ? next(generation, 'released') : { _tag: 'Closed', reservationId, status: 'released' };
        if (known !== 'redo') return known;
        revision = existing.revision;
      } else revision = created.revision;
      if (holds.length > 1) await deps.records.markPlacing(reservationId);
    }

    const replies = await Promise.all(
      holds.map(async (hold) => ({ sku: hold.sku, reply: await askOwner(deps.gateway, reserveCommand(request, reservationId, hold)) })),
    );
    const decision = decideHold({ derivedId: derived, generation, replies });
    const release = (skus: ReadonlyArray<Sku>, wait: boolean) => compensate(deps.gateway, request.actor, request.now, reservationId, skus, wait);

    /** Keeps the outcome; a record written meanwhile (a retry, the sweep) decides instead. */
    const settle = async (record: ReservationRecord, ours: ReadonlyArray<Sku>, fallback: HoldResult): Promise<HoldResult> => {
      const written = revision === undefined ? await deps.records.create(record) : await deps.records.update(record, revision);
      if (written._tag === 'Written') {
        if (holds.length > 1) void deps.records.clearPlacing(reservationId).catch(() => undefined);
        return fallback;
      }
      const existing = await deps.records.get(reservationId);
      const known = existing === undefined ? 'spent' : answerOf(existing.record, request, derived);
      if (known === 'redo' || known === 'spent' || known._tag !== 'Held') await release(ours, true);
      if (known === 'redo') return { _tag: 'Unavailable', detail: `reservation ${reservationId} is being placed by another request` };
      if (known === 'spent') return { _tag: 'Unavailable', detail: `reservation ${reservationId} was abandoned while it was placed` };
      return known;
    };

    return outcome(decision, {
      held: (expiresAt) => {
        const record: ReservationRecord = { ...base, state: 'held', expiresAt };
        return settle(record, decision._tag === 'Held' ? decision.createdFresh : [], { _tag: 'Held', record, replayed: false });
      },
      refused: async (short, ours) => {
        await release(ours, true);
        const answer = deps.refusal(short);
        return settle({ ...base, state: 'refused', answer }, [], { _tag: 'Refused', answer, replayed: false });
      },
      conflict: async (ours) => {
        await release(ours, true);
        return derived ? { _tag: 'KeyReused' } : { _tag: 'Conflict', reservationId };
      },
      spent: async (status, retry, ours) => {
        await release(ours, true);
        // The id closed: a retry of an answered request replays its record; otherwise the key moves on.
        const existing = await deps.records.get(reservationId);
        if (existing !== undefined) {
          const known = answerOf(existing.record, request, derived);
          if (known !== 'redo' && known !== 'spent') return known;
        }
        return retry ? attempt(generation + 1) : { _tag: 'Closed', reservationId, status };
      },
      undecided: (why, ours) => {
        // An owner that did not answer may come back with the hold placed: release it without waiting
        // (it also expires by itself; a placing record is swept).
        void release(ours, false);
        return Promise.resolve({ _tag: 'Unavailable', detail: why.join('; ') });
      },
    });
  };

  const next = (generation: number, status: string): Promise<HoldResult> | HoldResult =>
    derived && generation + 1 < MaxHoldAttempts ? attempt(generation + 1) : { _tag: 'Closed', reservationId: derivedReservationId(request.actor, request.idempotencyKey, generation), status };

  try {
    return await attempt(0);
  } catch (error) {
    // A record that could not be read or written: nothing is answered 201. A single-SKU hold already
    // placed stays the client's to recover with the same key (or expires at its TTL); a placing
    // record left behind is swept (its holds released) — never released here, as the write may have landed.
    return { _tag: 'Unavailable', detail: `reservation records: ${error instanceof Error ? error.message : String(error)}` };
  }
};

interface Outcomes {
  readonly held: (expiresAt: EpochMillis) => Promise<HoldResult>;
  readonly refused: (short: ReadonlyArray<ShortHold>, release: ReadonlyArray<Sku>) => Promise<HoldResult>;
  readonly conflict: (release: ReadonlyArray<Sku>) => Promise<HoldResult>;
  readonly spent: (status: string, retry: boolean, release: ReadonlyArray<Sku>) => Promise<HoldResult>;
  readonly undecided: (why: ReadonlyArray<string>, release: ReadonlyArray<Sku>) => Promise<HoldResult>;
}

const outcome = (decision: HoldDecision, on: Outcomes): Promise<HoldResult> => {
  switch (decision._tag) {
    case 'Held':
      return on.held(decision.expiresAt);
    case 'Refused':
      return on.refused(decision.short, decision.release);
    case 'Conflict':
      return on.conflict(decision.release);
    case 'Spent':
      return on.spent(decision.status, decision.retry, decision.release);
    case 'Undecided':
      return on.undecided(decision.why, decision.release);
  }
};

const reserveCommand = (request: HoldRequest, reservationId: ReservationId, hold: StoredLine): ReserveStock => ({
  _tag: 'ReserveStock',
  commandId: derivedId(reservationId, 'reserve', hold.sku),
  actor: request.actor,
  now: request.now,
  sku: hold.sku,
  reservationId,
  qty: hold.qty,
  ttlSeconds: request.ttlSeconds,
  ...(request.orderId === undefined ? {} : { orderId: request.orderId }),
  ...(request.customerId === undefined ? {} : { customerId: request.customerId }),
});
