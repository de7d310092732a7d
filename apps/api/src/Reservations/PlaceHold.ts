// POST /v1/reservations as a flow: one ReserveStock per line to the owners at once; all held → a
// record in Redis; otherwise every line this attempt may have held is released (all or none).
// An attempt whose id was already released (a retry after a 503) moves to the next derived id.
import {
  EpochMillis,
  type Actor,
  type CustomerId,
  type OrderId,
  type Quantity,
  type ReservationId,
  type ReserveStock,
  type Sku,
  type TtlSeconds,
} from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askOwner, type OwnerReply } from './AskOwner.js';
import { compensate } from './Compensate.js';
import { derivedId, derivedReservationId } from './DerivedIds.js';
import { sameTerms, type ReservationTerms, type StoredLine, type StoredStatus } from './ReservationRecord.js';
import type { ReservationStore } from './ReservationStore.js';

/** Ids tried for one Idempotency-Key before giving up: each one was released by an earlier 503. */
const MaxGenerations = 8;

export interface HoldRequest {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  /** Chosen by the client; undefined: derived from the actor and the key. */
  readonly reservationId: ReservationId | undefined;
  readonly orderId: OrderId | undefined;
  readonly customerId: CustomerId | undefined;
  readonly lines: ReadonlyArray<StoredLine>;
  readonly ttlSeconds: TtlSeconds;
  readonly now: EpochMillis;
}

export interface ShortLine {
  readonly sku: Sku;
  readonly requested: number;
  readonly available: number;
}

export type HoldResult =
  | { readonly _tag: 'Held'; readonly terms: ReservationTerms }
  | { readonly _tag: 'Insufficient'; readonly short: ReadonlyArray<ShortLine> }
  | { readonly _tag: 'Conflict'; readonly reservationId: ReservationId }
  | { readonly _tag: 'Closed'; readonly reservationId: ReservationId; readonly status: StoredStatus }
  | { readonly _tag: 'Unavailable'; readonly detail: string };

type LineState =
  | { readonly _tag: 'Held'; readonly sku: Sku; readonly fresh: boolean; readonly expiresAt: number }
  /** Accepted, but the hold under this id is no longer held: the id is spent. */
  | { readonly _tag: 'Spent'; readonly sku: Sku; readonly status: StoredStatus }
  | { readonly _tag: 'Short'; readonly line: ShortLine }
  | { readonly _tag: 'Conflict'; readonly sku: Sku }
  | { readonly _tag: 'Unknown'; readonly sku: Sku; readonly why: string };

const classify = (sku: Sku, reply: OwnerReply, fallbackExpiry: number): LineState => {
  if (reply._tag === 'Unanswered') return { _tag: 'Unknown', sku, why: reply.why };
  const outcome = reply.outcome;
  if (outcome._tag === 'Accepted') {
    const view = outcome.reservation;
    if (view === undefined) return { _tag: 'Held', sku, fresh: outcome.seq !== null, expiresAt: fallbackExpiry };
    return view.status === 'held'
      ? { _tag: 'Held', sku, fresh: outcome.seq !== null, expiresAt: view.expiresAt }
      : { _tag: 'Spent', sku, status: view.status };
  }
  if (outcome._tag === 'Retry') return { _tag: 'Unknown', sku, why: outcome.reason };
  const rejection = outcome.rejection;
  switch (rejection._tag) {
    case 'InsufficientStock':
      return { _tag: 'Short', line: { sku, requested: rejection.requested, available: rejection.available } };
    case 'ReservationIdConflict':
      return { _tag: 'Conflict', sku };
    default:
      // A reserve is refused only for stock or a conflicting id; anything else is a protocol error.
      return { _tag: 'Unknown', sku, why: `unexpected rejection ${rejection._tag}` };
  }
};

const skuOf = (s: LineState) => (s._tag === 'Short' ? s.line.sku : s.sku);

export const placeHold = async (gateway: CommandGateway, store: ReservationStore, request: HoldRequest): Promise<HoldResult> => {
  const derived = request.reservationId === undefined;
  const fallbackExpiry = request.now + request.ttlSeconds * 1000;

  const attempt = async (generation: number): Promise<HoldResult> => {
    const reservationId = request.reservationId ?? derivedReservationId(request.actor, request.idempotencyKey, generation);
    const states = await Promise.all(
      request.lines.map(async (line) => classify(line.sku, await askOwner(gateway, reserveCommand(request, reservationId, line)), fallbackExpiry)),
    );
    const conflict = states.some((s) => s._tag === 'Conflict');
    // A line held before this attempt may be another request's hold under the same id: release only
    // what this attempt placed, or (an id derived from this key) what an earlier attempt of it placed.
    const ours = states.filter((s) => (s._tag === 'Held' && (s.fresh || (derived && !conflict))) || (s._tag === 'Unknown' && !conflict));
    const release = (skus: ReadonlyArray<Sku>, wait: boolean) => compensate(gateway, request.actor, request.now, reservationId, skus, wait);

    const held = states.flatMap((s) => (s._tag === 'Held' ? [s] : []));
    if (held.length === states.length) return record(reservationId, held, release);
    const short = states.flatMap((s) => (s._tag === 'Short' ? [s.line] : []));
    const spent = states.find((s) => s._tag === 'Spent');
    const definite = conflict || short.length > 0 || spent !== undefined;
    // A definite answer is worth waiting for the releases; an owner that did not answer may come back
    // with these holds placed: release them without waiting (they also expire by themselves).
    await release(ours.map(skuOf), definite);
    if (conflict) return { _tag: 'Conflict', reservationId };
    if (short.length > 0) return { _tag: 'Insufficient', short };
    if (spent !== undefined) {
      return derived && generation + 1 < MaxGenerations ? attempt(generation + 1) : { _tag: 'Closed', reservationId, status: spent.status };
    }
    return { _tag: 'Unavailable', detail: states.flatMap((s) => (s._tag === 'Unknown' ? [`${s.sku}: ${s.why}`] : [])).join('; ') };
  };

  /** Every line is held: remember the reservation, unless its id already names other terms. */
  const record = async (
    reservationId: ReservationId,
    held: ReadonlyArray<{ readonly sku: Sku; readonly fresh: boolean; readonly expiresAt: number }>,
    release: (skus: ReadonlyArray<Sku>, wait: boolean) => Promise<void>,
  ): Promise<HoldResult> => {
    const terms: ReservationTerms = {
      v: 1,
      reservationId,
      actor: request.actor,
      lines: request.lines,
      expiresAt: EpochMillis.make(Math.max(...held.map((h) => h.expiresAt))),
      createdAt: request.now,
      ...(request.orderId === undefined ? {} : { orderId: request.orderId }),
      ...(request.customerId === undefined ? {} : { customerId: request.customerId }),
    };
    const fresh = held.flatMap((h) => (h.fresh ? [h.sku] : []));
    try {
      const created = await store.create(terms, terms.expiresAt - request.now);
      if (created._tag === 'Created' || sameTerms(created.terms, terms)) return { _tag: 'Held', terms };
      await release(fresh, true);
      return { _tag: 'Conflict', reservationId };
    } catch (error) {
      // Without its record the hold could never be committed: undo it, the client retries.
      void release(derived ? held.map((h) => h.sku) : fresh, false);
      return { _tag: 'Unavailable', detail: `reservation records: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
  return attempt(0);
};

const reserveCommand = (request: HoldRequest, reservationId: ReservationId, line: { readonly sku: Sku; readonly qty: Quantity }): ReserveStock => ({
  _tag: 'ReserveStock',
  commandId: derivedId(reservationId, 'reserve', line.sku),
  actor: request.actor,
  now: request.now,
  sku: line.sku,
  reservationId,
  qty: line.qty,
  ttlSeconds: request.ttlSeconds,
  ...(request.orderId === undefined ? {} : { orderId: request.orderId }),
  ...(request.customerId === undefined ? {} : { customerId: request.customerId }),
});
