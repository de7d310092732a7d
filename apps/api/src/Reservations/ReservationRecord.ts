// What every API instance knows of a POST, in the replicated `requests` KV bucket under its caller and
// Idempotency-Key (ADR 0012). A hold's record is its reservation: the terms as asked, who placed it,
// the POST's fingerprint, and where the checkout stands (the 201 a retry gets is rebuilt from it). The
// holds' truth — held, committed, released, expired — is the SKU actors' journal; this record follows
// it. Any other POST's record is its answer (`AnswerRecord`).
import { ChannelId, CustomerId, DropId, EpochMillis, LocationId, OrderId, Quantity, ReservationId, Sku, TtlSeconds } from '@larder/domain';
import { Schema } from 'effect';

/** A hold at one SKU: its units and, once held, the location its owner placed it at (or the one the lines named). */
export const StoredLine = Schema.Struct({ sku: Sku, qty: Quantity, location: Schema.optionalWith(LocationId, { exact: true }) });
export type StoredLine = typeof StoredLine.Type;

/**
 * A line as asked; a pack line keeps what it held of each component (`components`, the recipe as it
 * was when the hold was placed: editing the recipe later never changes a hold).
 */
export const RecordLine = Schema.Struct({
  sku: Sku,
  qty: Quantity,
  location: Schema.optionalWith(LocationId, { exact: true }),
  components: Schema.optional(Schema.Array(Schema.Struct({ sku: Sku, qty: Quantity }))),
});
export type RecordLine = typeof RecordLine.Type;

/**
 * `placing`: the holds are being asked for (a sweep releases them if it stays so; see AbandonedHolds);
 * `refused`: answered with a 4xx, kept in `answer`; `abandoned`: never answered, its holds released;
 * `held` → `committed` | `released` | `expired` as the owners confirm (a reader also sees `expired`
 * once `expiresAt` has passed).
 */
export const RecordState = Schema.Literal('placing', 'refused', 'abandoned', 'held', 'committed', 'released', 'expired');
export type RecordState = typeof RecordState.Type;

export const StoredAnswer = Schema.Struct({ status: Schema.Int, body: Schema.Unknown });
export type StoredAnswer = typeof StoredAnswer.Type;

export const ReservationRecord = Schema.Struct({
  v: Schema.Literal(2),
  kind: Schema.Literal('hold'),
  reservationId: ReservationId,
  /** The principal that placed the hold. */
  actor: Schema.String,
  /** As asked (the 201's `lines`). */
  lines: Schema.Array(RecordLine).pipe(Schema.minItems(1)),
  /** One hold per SKU, demand summed across the lines (packs expanded): what the owners were asked to hold. */
  holds: Schema.Array(StoredLine).pipe(Schema.minItems(1)),
  /** Digest of the POST (method, URL, body): a retry with the same key must match it. */
  fingerprint: Schema.String,
  ttlSeconds: TtlSeconds,
  /** When the API took the request (its clock; the holds' times are the owners'). */
  receivedAt: EpochMillis,
  orderId: Schema.optional(OrderId),
  customerId: Schema.optional(CustomerId),
  /** The holds took their units from this drop's allocations. */
  dropId: Schema.optional(DropId),
  /** The sales channel whose shelf-life terms the holds carry (absent: none, as before channels). */
  channel: Schema.optional(ChannelId),
  state: RecordState,
  /** The earliest of the owners' expiries, once held. */
  expiresAt: Schema.optional(EpochMillis),
  /** A commit is stored on INV_CMD for an owner that did not answer (it was answered 202). */
  commitPending: Schema.optional(Schema.Literal(true)),
  /** The 4xx a `refused` attempt was answered with, replayed to a retry. */
  answer: Schema.optional(StoredAnswer),
  /** Once committed: the lots each SKU's owner took (first expired, first out), answered to a retried commit too. */
  lots: Schema.optional(Schema.Array(Schema.Struct({ sku: Sku, lot: Schema.String, qty: Quantity }))),
});
export type ReservationRecord = typeof ReservationRecord.Type;

/** The record of a POST other than a hold: claimed while it runs, then its answer (2xx or 4xx). */
export const AnswerRecord = Schema.Struct({
  v: Schema.Literal(2),
  kind: Schema.Literal('answer'),
  fingerprint: Schema.String,
  state: Schema.Literal('in_flight', 'done'),
  /** When the claim was taken (the API's clock): a claim older than the in-flight window is taken over. */
  since: Schema.Number,
  status: Schema.optional(Schema.Int),
  body: Schema.optional(Schema.Unknown),
  headers: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
});
export type AnswerRecord = typeof AnswerRecord.Type;

export const RequestRecord = Schema.Union(ReservationRecord, AnswerRecord);
export type RequestRecord = typeof RequestRecord.Type;

/** At `i.<id>`: the key digest whose record is the reservation a client named this id. */
export const IdPointer = Schema.Struct({ v: Schema.Literal(2), kind: Schema.Literal('id'), digest: Schema.String });
export type IdPointer = typeof IdPointer.Type;

/** A record that answered 201 (its holds were all placed). */
export const wasHeld = (record: ReservationRecord) =>
  record.state === 'held' || record.state === 'committed' || record.state === 'released' || record.state === 'expired';

/**
 * Whether a caller may commit or release a hold (and, without `stock:read`, read it): the principal
 * that placed it, or one allowed to act for anyone (`admin`). To anyone else it does not exist (404):
 * a reservation id a client chose may be guessable, and its existence is nobody else's business.
 */
export const mayActOn = (record: ReservationRecord, actor: string, forAnyone: boolean) => forAnyone || record.actor === actor;

export type VisibleStatus = 'held' | 'committed' | 'released' | 'expired';

/** The status a reader sees: a hold past its expiry is expired, unless a commit is on its way. */
export const visibleStatus = (record: ReservationRecord, now: number): VisibleStatus => {
  if (record.state === 'committed' || record.state === 'released' || record.state === 'expired') return record.state;
  return record.commitPending === undefined && now >= (record.expiresAt ?? 0) ? 'expired' : 'held';
};
