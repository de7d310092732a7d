// POST /v1/reservations as a shell around the checkout decider (libs/domain Checkout): ask every SKU's
// owner for its hold at once, let `decideHold` say what that means, release what it says to release,
// and keep the outcome as the POST's record (ADR 0012) — the answer a retry with the same
// Idempotency-Key gets, from any instance, for a day.
//
// One SKU: nothing can be partly held, so the owner is asked and the record written after (one KV
// write per hold); a retry finds the record there when it writes, and answers from it. A refusal needs
// no record: the owner records it in its journal and answers a retry the same. Several SKUs, or a client-chosen id: the record is written first as `placing` (with a marker
// for several SKUs), so if this instance dies mid-way a sweep releases the holds (AbandonedHolds.ts).
import {
  checkoutDemand,
  decideHold,
  describeDemandProblem,
  MaxHoldAttempts,
  type ChannelTerms,
  type CheckoutLine,
  type HoldReply,
  type LocationId,
  type PackRecipe,
  type Actor,
  type CustomerId,
  type DropId,
  type DropRefusal,
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
import { askEach } from './AskOwner.js';
import { compensate } from './Compensate.js';
import { derivedId, generationOf, keyDigestOf, reservationIdOf } from './DerivedIds.js';
import { Either } from 'effect';
import { wasHeld, type RecordLine, type RequestRecord, type ReservationRecord, type StoredAnswer, type StoredLine } from './ReservationRecord.js';
import type { RequestRecords } from './RequestRecords.js';

export interface HoldRequest {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  /** Digest of the POST (method, URL, body). */
  readonly fingerprint: string;
  /** Chosen by the client; undefined: derived from the actor and the key. */
  readonly reservationId: ReservationId | undefined;
  readonly orderId: OrderId | undefined;
  readonly customerId: CustomerId | undefined;
  readonly dropId: DropId | undefined;
  /** The channel's shelf-life terms, sent with every hold (undefined: none, any lot). */
  readonly channel: ChannelTerms | undefined;
  readonly lines: ReadonlyArray<CheckoutLine>;
  readonly ttlSeconds: TtlSeconds;
  readonly now: EpochMillis;
  /** Every pack's recipe (this instance's copy): a pack line holds its components. */
  readonly recipes: ReadonlyMap<Sku, PackRecipe>;
  /** The registry's locations, highest priority first: where a hold without a location looks. */
  readonly preference: ReadonlyArray<LocationId>;
}

export type HoldResult =
  | { readonly _tag: 'Held'; readonly record: ReservationRecord; readonly replayed: boolean }
  /** A 4xx this key was answered with before (or just now): the same status and body. */
  | { readonly _tag: 'Refused'; readonly answer: StoredAnswer; readonly replayed: boolean }
  | { readonly _tag: 'Conflict'; readonly reservationId: ReservationId }
  | { readonly _tag: 'KeyReused' }
  /** Another request with this key is placing the same reservation now (409; retry shortly). */
  | { readonly _tag: 'InFlight' }
  | { readonly _tag: 'Closed'; readonly reservationId: ReservationId; readonly status: string }
  | { readonly _tag: 'Unavailable'; readonly detail: string }
  /** The lines cannot be held as one reservation (a SKU asked at two locations, too many units of one SKU): 422, nothing asked. */
  | { readonly _tag: 'Invalid'; readonly detail: string };

export interface HoldDeps {
  readonly gateway: CommandGateway;
  readonly records: RequestRecords;
  /** The 409 answer for these short holds or drop refusals (stored, then replayed). */
  readonly refusal: (short: ReadonlyArray<ShortHold>, declined: ReadonlyArray<DropRefusal>) => StoredAnswer;
  /**
   * How long a `placing` record counts as another request still at work (a retry gets 409 rather
   * than racing it over the same holds); older, its instance is taken for dead and it is placed again.
   */
  readonly inFlightMs: number;
}

/** Where a key's record leaves a request: answered (a result), to be placed again, or spent. */
type Found = HoldResult | { readonly _tag: 'Redo'; readonly reservationId: ReservationId } | { readonly _tag: 'Spent'; readonly reservationId: ReservationId };

const whatRecordSays = (record: RequestRecord, fingerprint: string): Found => {
  // The key answered another route, or this route with another body.
  if (record.kind !== 'hold' || record.fingerprint !== fingerprint) return { _tag: 'KeyReused' };
  if (wasHeld(record)) return { _tag: 'Held', record, replayed: true };
  if (record.state === 'refused' && record.answer !== undefined) return { _tag: 'Refused', answer: record.answer, replayed: true };
  return record.state === 'placing' ? { _tag: 'Redo', reservationId: record.reservationId } : { _tag: 'Spent', reservationId: record.reservationId };
};

/** Record writes and re-reads per request before giving up (a record that keeps changing). */
const MaxRecordRounds = 4;

export const placeHold = async (deps: HoldDeps, request: HoldRequest): Promise<HoldResult> => {
  const demand = checkoutDemand(request.lines, request.recipes);
  if (Either.isLeft(demand)) return { _tag: 'Invalid', detail: describeDemandProblem(demand.left) };
  const digest = keyDigestOf(request.actor, request.idempotencyKey);
  const derived = request.reservationId === undefined;
  const holds: ReadonlyArray<StoredLine> = demand.right.holds;
  const lines: ReadonlyArray<RecordLine> = demand.right.lines.map(({ line, pack, holds: parts }) => ({
    ...line,
    ...(pack ? { components: parts.map(({ sku, qty }) => ({ sku, qty })) } : {}),
  }));
  const several = holds.length > 1;
  /** Several SKUs, or a client-chosen id: the record is written `placing` before any owner is asked. */
  const recordFirst = several || !derived;
  const base = (reservationId: ReservationId): ReservationRecord => ({
    v: 2,
    kind: 'hold',
    reservationId,
    actor: request.actor,
    lines,
    holds,
    fingerprint: request.fingerprint,
    ttlSeconds: request.ttlSeconds,
    receivedAt: request.now,
    ...(request.orderId === undefined ? {} : { orderId: request.orderId }),
    ...(request.customerId === undefined ? {} : { customerId: request.customerId }),
    ...(request.dropId === undefined ? {} : { dropId: request.dropId }),
    ...(request.channel === undefined ? {} : { channel: request.channel.channel }),
    state: 'placing',
  });

  /** Starts from the key's record: answers a retry, or says which id to place and over which revision. */
  const fromRecord = async (rounds: number): Promise<HoldResult> => {
    if (rounds >= MaxRecordRounds) return { _tag: 'Unavailable', detail: `the record of this Idempotency-Key kept changing` };
    const found = await deps.records.get(digest);
    if (found === undefined) return attempt(request.reservationId ?? reservationIdOf(digest, 0), undefined, rounds);
    const says = whatRecordSays(found.record, request.fingerprint);
    switch (says._tag) {
      case 'Redo':
        // Two attempts at one reservation would share its holds, and one's compensation could undo the
        // other's 201: a recent one is left to finish.
        if (found.record.kind === 'hold' && request.now - found.record.receivedAt < deps.inFlightMs) return { _tag: 'InFlight' };
        return attempt(says.reservationId, found.revision, rounds);
      case 'Spent':
        return next(says.reservationId, found.revision, rounds, 'released');
      default:
        return says;
    }
  };

  /** The id closed without a 201 (an undecided attempt was released): the key moves to its next id. */
  const next = (spent: ReservationId, revision: number | undefined, rounds: number, status: string): Promise<HoldResult> | HoldResult => {
    const generation = generationOf(spent) + 1;
    return derived && generation < MaxHoldAttempts ? attempt(reservationIdOf(digest, generation), revision, rounds) : { _tag: 'Closed', reservationId: spent, status };
  };

  const attempt = async (reservationId: ReservationId, revisionIn: number | undefined, rounds: number): Promise<HoldResult> => {
    let revision = revisionIn;
    const record = base(reservationId);
    if (!derived && (await deps.records.claimId(reservationId, digest)) !== digest) return { _tag: 'Conflict', reservationId };
    if (recordFirst) {
      const written = revision === undefined ? await deps.records.create(digest, record) : await deps.records.update(digest, record, revision);
      if (written._tag === 'Stale') return fromRecord(rounds + 1);
      revision = written.revision;
      if (several) await deps.records.markPlacing(digest);
    }
    const replies = await askEach(deps.gateway, holds.map((hold) => reserveCommand(request, reservationId, hold)));
    const decision = decideHold({ derivedId: derived, generation: generationOf(reservationId), replies });
    const release = (skus: ReadonlyArray<Sku>, wait: boolean) => compensate(deps.gateway, request.actor, request.now, reservationId, skus, wait);

    /** Keeps the outcome as the key's record; a record written meanwhile (a twin, the sweep) decides instead. */
    const settle = async (outcome: ReservationRecord, ours: ReadonlyArray<Sku>, answer: HoldResult): Promise<HoldResult> => {
      const written = revision === undefined ? await deps.records.create(digest, outcome) : await deps.records.update(digest, outcome, revision);
      if (written._tag === 'Written') {
        if (several) void deps.records.clearPlacing(digest).catch(() => undefined);
        return answer;
      }
      const found = await deps.records.get(digest);
      const says: Found = found === undefined ? { _tag: 'Spent', reservationId } : whatRecordSays(found.record, request.fingerprint);
      // The same reservation answered by a twin: these holds are its holds too.
      if (says._tag === 'Held' && says.record.reservationId === reservationId) return says;
      // A twin (same key, same body, another instance) is placing it now: the holds are shared, so
      // they stay; the twin answers, or the sweep releases them if it dies.
      if (says._tag === 'Redo') return { _tag: 'Unavailable', detail: `reservation ${reservationId} is being placed by a retry on another instance` };
      await release(ours, true);
      if (says._tag === 'Spent') return { _tag: 'Unavailable', detail: `reservation ${reservationId} was abandoned while it was placed` };
      return says;
    };

    return outcomeOf(decision, {
      held: (expiresAt, fresh) => {
        const held: ReservationRecord = { ...record, holds: placedAt(holds, replies), state: 'held', expiresAt };
        return settle(held, fresh, { _tag: 'Held', record: held, replayed: false });
      },
      refused: async (short, declined, ours, remembered) => {
        await release(ours, true);
        const answer = deps.refusal(short, declined);
        // One SKU under a derived id: the owner's journal records the refusal, and answers a retry the
        // same (from any instance, for a day): no record needed. Several SKUs keep it in theirs.
        if (!recordFirst) return { _tag: 'Refused', answer, replayed: remembered };
        return settle({ ...record, state: 'refused', answer }, [], { _tag: 'Refused', answer, replayed: false });
      },
      conflict: async (ours) => {
        // Under a derived id, a hold of other terms is an earlier request with this key and another body.
        await release(ours, true);
        return derived ? { _tag: 'KeyReused' } : { _tag: 'Conflict', reservationId };
      },
      spent: async (status, ours) => {
        await release(ours, true);
        if (revision === undefined) {
          // The owner remembers this id closed: a retry of an answered request (a day later, say)
          // finds its answer in the record; an attempt that never answered moves to the next id.
          const found = await deps.records.get(digest);
          if (found !== undefined) {
            const says = whatRecordSays(found.record, request.fingerprint);
            if (says._tag !== 'Redo' && says._tag !== 'Spent') return says;
          }
        }
        return next(reservationId, revision, rounds, status);
      },
      undecided: (why, ours) => {
        // An owner that did not answer may come back with the hold placed: release it without waiting
        // (it also expires by itself; a placing record is swept).
        void release(ours, false);
        return Promise.resolve({ _tag: 'Unavailable', detail: why.join('; ') });
      },
    });
  };

  try {
    // No read first: a first attempt (nearly all of them) finds nothing, and each create is itself the
    // check — a record already there makes it stale, and the record is read then.
    return await attempt(request.reservationId ?? reservationIdOf(digest, 0), undefined, 0);
  } catch (error) {
    // A record that could not be read or written: nothing is answered 201. A single-SKU hold already
    // placed stays the client's to recover with the same key (or expires at its TTL); a placing
    // record left behind is swept (its holds released) — never released here, as the write may have landed.
    return { _tag: 'Unavailable', detail: `request records: ${error instanceof Error ? error.message : String(error)}` };
  }
};

interface Outcomes {
  readonly held: (expiresAt: EpochMillis, fresh: ReadonlyArray<Sku>) => Promise<HoldResult>;
  readonly refused: (short: ReadonlyArray<ShortHold>, declined: ReadonlyArray<DropRefusal>, release: ReadonlyArray<Sku>, remembered: boolean) => Promise<HoldResult>;
  readonly conflict: (release: ReadonlyArray<Sku>) => Promise<HoldResult>;
  readonly spent: (status: string, release: ReadonlyArray<Sku>) => Promise<HoldResult>;
  readonly undecided: (why: ReadonlyArray<string>, release: ReadonlyArray<Sku>) => Promise<HoldResult>;
}

const outcomeOf = (decision: HoldDecision, on: Outcomes): Promise<HoldResult> => {
  switch (decision._tag) {
    case 'Held':
      return on.held(decision.expiresAt, decision.createdFresh);
    case 'Refused':
      return on.refused(decision.short, decision.declined, decision.release, decision.remembered);
    case 'Conflict':
      return on.conflict(decision.release);
    case 'Spent':
      return on.spent(decision.status, decision.release);
    case 'Undecided':
      return on.undecided(decision.why, decision.release);
  }
};

/** The holds with the location each owner placed them at (a line without a location: the owner chose). */
const placedAt = (holds: ReadonlyArray<StoredLine>, replies: ReadonlyArray<HoldReply>): ReadonlyArray<StoredLine> =>
  holds.map((hold) => {
    const reply = replies.find((r) => r.sku === hold.sku)?.reply;
    const location = reply?._tag === 'Accepted' ? reply.hold?.location : undefined;
    return location === undefined ? hold : { ...hold, location };
  });

const reserveCommand = (request: HoldRequest, reservationId: ReservationId, hold: StoredLine): ReserveStock => ({
  _tag: 'ReserveStock',
  commandId: derivedId(reservationId, 'reserve', hold.sku),
  actor: request.actor,
  now: request.now,
  sku: hold.sku,
  reservationId,
  qty: hold.qty,
  // A drop's holds are at its allocation's location; otherwise the line's, or the owner picks by priority.
  ...(hold.location !== undefined ? { location: hold.location } : request.dropId === undefined && request.preference.length > 0 ? { locations: request.preference } : {}),
  ttlSeconds: request.ttlSeconds,
  ...(request.orderId === undefined ? {} : { orderId: request.orderId }),
  ...(request.customerId === undefined ? {} : { customerId: request.customerId }),
  ...(request.dropId === undefined ? {} : { dropId: request.dropId }),
  ...(request.channel === undefined ? {} : { channel: request.channel }),
});
