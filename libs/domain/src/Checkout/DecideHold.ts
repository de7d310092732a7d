// The checkout rule (DESIGN.md §5, STYLE.md 16): given what every SKU's owner answered to the holds of
// one attempt, decide the reservation's fate — held (every hold stands), refused (short somewhere),
// conflicting, spent (the id names a hold that already closed), or undecided — and which holds this
// attempt must release so that nothing stays partly held. Pure: the shell only carries the messages.
import { absurd } from 'effect';
import type { DropId, Sku } from '../Ids.js';
import { EpochMillis } from '../Quantities.js';
import { isDropRefusal, type DropRefusal } from '../Rejections.js';
import type { ReservationStatus } from '../ReservationStatus.js';
import type { HoldReply, LineReply } from './LineReply.js';

/** How many ids one Idempotency-Key may spend (each released by an earlier undecided attempt). */
export const MaxHoldAttempts = 8;

export interface ShortHold {
  readonly sku: Sku;
  readonly requested: number;
  /** In a drop: what was left of its allocation. */
  readonly available: number;
  /** The hold was in this drop (its allocation is what ran short). */
  readonly dropId?: DropId;
}

export interface HoldAttempt {
  /** The id was derived from the caller and its Idempotency-Key (not chosen by the client). */
  readonly derivedId: boolean;
  /** 0 for the first id of a key; each spent id moves to the next. */
  readonly generation: number;
  readonly replies: ReadonlyArray<HoldReply>;
}

export type HoldDecision =
  /** Every hold stands: answer 201. `expiresAt` is the earliest of the owners' expiries. */
  | { readonly _tag: 'Held'; readonly expiresAt: EpochMillis; readonly createdFresh: ReadonlyArray<Sku> }
  /**
   * Short somewhere, or refused by a rule of its drop (`declined`: not open, closed, over the customer's
   * limit; those win over `short` in the answer). `remembered`: every refusing owner answered a refusal
   * it had recorded before (a retry's answer).
   */
  | {
      readonly _tag: 'Refused';
      readonly short: ReadonlyArray<ShortHold>;
      readonly declined: ReadonlyArray<DropRefusal>;
      readonly release: ReadonlyArray<Sku>;
      readonly remembered: boolean;
    }
  /** The id already holds other terms at some SKU: someone else's hold; release only what this attempt placed. */
  | { readonly _tag: 'Conflict'; readonly release: ReadonlyArray<Sku> }
  /** The id names a hold that closed; `retry`: try the key's next derived id. */
  | { readonly _tag: 'Spent'; readonly status: Exclude<ReservationStatus, 'held'>; readonly retry: boolean; readonly release: ReadonlyArray<Sku> }
  /** Some owner did not answer: nothing may be claimed; release what may have been placed. */
  | { readonly _tag: 'Undecided'; readonly why: ReadonlyArray<string>; readonly release: ReadonlyArray<Sku> };

type Seen =
  | { readonly _tag: 'Held'; readonly sku: Sku; readonly fresh: boolean; readonly expiresAt: EpochMillis }
  | { readonly _tag: 'Spent'; readonly sku: Sku; readonly status: Exclude<ReservationStatus, 'held'> }
  | { readonly _tag: 'Short'; readonly short: ShortHold; readonly remembered: boolean }
  | { readonly _tag: 'Declined'; readonly sku: Sku; readonly refusal: DropRefusal; readonly remembered: boolean }
  | { readonly _tag: 'Conflict'; readonly sku: Sku }
  | { readonly _tag: 'Unknown'; readonly sku: Sku; readonly why: string };

/** What one owner's answer to a ReserveStock means for the checkout. */
const seeHold = (sku: Sku, reply: LineReply): Seen => {
  switch (reply._tag) {
    case 'Unanswered':
      return { _tag: 'Unknown', sku, why: reply.why };
    case 'Accepted': {
      const hold = reply.hold;
      if (hold === undefined) return { _tag: 'Unknown', sku, why: 'the owner accepted the hold without describing it' };
      return hold.status === 'held'
        ? { _tag: 'Held', sku, fresh: reply.fresh, expiresAt: hold.expiresAt }
        : { _tag: 'Spent', sku, status: hold.status };
    }
    case 'Rejected': {
      const rejection = reply.rejection;
      if (rejection._tag === 'InsufficientStock') {
        const short: ShortHold = { sku, requested: rejection.requested, available: rejection.available, ...(rejection.dropId === undefined ? {} : { dropId: rejection.dropId }) };
        return { _tag: 'Short', short, remembered: reply.recordedNow === false };
      }
      if (rejection._tag === 'ReservationIdConflict') return { _tag: 'Conflict', sku };
      if (isDropRefusal(rejection)) return { _tag: 'Declined', sku, refusal: rejection, remembered: reply.recordedNow === false };
      // A hold is refused only for stock, its drop's rules or a conflicting id; anything else is a protocol fault.
      return { _tag: 'Unknown', sku, why: `unexpected rejection ${rejection._tag}` };
    }
    default:
      return absurd<Seen>(reply);
  }
};

const skuOf = (s: Seen): Sku => (s._tag === 'Short' ? s.short.sku : s.sku);

export const decideHold = (attempt: HoldAttempt): HoldDecision => {
  const seen = attempt.replies.map(({ sku, reply }) => seeHold(sku, reply));
  const conflict = seen.some((s) => s._tag === 'Conflict');
  // What this attempt may have placed. A hold that was already there (not fresh) under a client's id
  // may be another request's; under an id derived from this key it is an earlier attempt of this one.
  // After a conflict the id is someone else's: only what this attempt freshly placed is ours.
  const ours = seen.filter(
    (s) => (s._tag === 'Held' && (s.fresh || (attempt.derivedId && !conflict))) || (s._tag === 'Unknown' && !conflict),
  );
  const release = ours.map(skuOf);
  const held = seen.flatMap((s) => (s._tag === 'Held' ? [s] : []));
  if (held.length === seen.length && held.length > 0) {
    return {
      _tag: 'Held',
      expiresAt: EpochMillis.make(Math.min(...held.map((h) => h.expiresAt))),
      createdFresh: held.flatMap((h) => (h.fresh ? [h.sku] : [])),
    };
  }
  if (conflict) return { _tag: 'Conflict', release };
  const shorts = seen.flatMap((s) => (s._tag === 'Short' ? [s] : []));
  const declined = seen.flatMap((s) => (s._tag === 'Declined' ? [s] : []));
  if (shorts.length + declined.length > 0) {
    return {
      _tag: 'Refused',
      short: shorts.map((s) => s.short),
      declined: declined.map((s) => s.refusal),
      release,
      remembered: [...shorts, ...declined].every((s) => s.remembered),
    };
  }
  const spent = seen.find((s) => s._tag === 'Spent');
  if (spent !== undefined && spent._tag === 'Spent') {
    return { _tag: 'Spent', status: spent.status, retry: attempt.derivedId && attempt.generation + 1 < MaxHoldAttempts, release };
  }
  return { _tag: 'Undecided', why: seen.flatMap((s) => (s._tag === 'Unknown' ? [`${s.sku}: ${s.why}`] : [])), release };
};
