// The answer to one item of a request batch: Accepted (with the levels after it), Rejected (a
// domain rejection, final) or Retry (an infrastructure answer; the caller may try again).
import { EpochMillis, LocationId, LotTake, Quantity, Rejection, ReservationId, ReservationStatus, StockLevels } from '@larder/domain';
import { Schema } from 'effect';
import { JournalSequence } from './JournalSequence.js';

/** The levels of the command's location after it, with `available` as the domain computes it. */
export const ReplyLevels = Schema.Struct({
  ...StockLevels.fields,
  available: Schema.Int.pipe(Schema.nonNegative()),
});
export type ReplyLevels = typeof ReplyLevels.Type;

/** The domain's, re-exported: the wire says exactly what the state holds. */
export { ReservationStatus };

/** The hold a reservation command touched, as it stands after the command. */
export const ReservationView = Schema.Struct({
  reservationId: ReservationId,
  status: ReservationStatus,
  qty: Quantity,
  expiresAt: EpochMillis,
  location: LocationId,
});
export type ReservationView = typeof ReservationView.Type;

/** What a stocktake found, against what the actor held on hand when it decided. */
export const CountView = Schema.Struct({
  counted: Schema.Int.pipe(Schema.nonNegative()),
  expected: Schema.Int,
  difference: Schema.Int,
});
export type CountView = typeof CountView.Type;

export const AcceptedOutcome = Schema.TaggedStruct('Accepted', {
  /** Journal sequence of the append that carried the command's events; null for a no-op or a duplicate. */
  seq: Schema.NullOr(JournalSequence),
  levels: ReplyLevels,
  reservation: Schema.optional(ReservationView),
  /** A CountStock decided now (absent for its duplicate: the first answer had it). */
  count: Schema.optional(CountView),
  /** A commit decided now: the lots it took, first expired first out (absent for its duplicate, and for SKUs without lots). */
  lots: Schema.optional(Schema.Array(LotTake)),
});
export type AcceptedOutcome = typeof AcceptedOutcome.Type;

export const RejectedOutcome = Schema.TaggedStruct('Rejected', {
  rejection: Rejection,
  /**
   * The journal append that recorded this refusal (a hold refused for want of stock is recorded, so a
   * retry gets the same answer); absent when nothing was recorded now — a retry's remembered refusal,
   * or any other rejection.
   */
  seq: Schema.optional(JournalSequence),
});
export type RejectedOutcome = typeof RejectedOutcome.Type;

/**
 * `not_owner`: this runner does not hold the shard; `fenced`: the journal append lost to a newer
 * owner; `overloaded`: the mailbox is full; `shutting_down`: draining; `deadline`: the item's
 * deadline passed before it was decided; `journal_unavailable`: the append's outcome is unknown or the
 * journal cannot be read (the command may be retried with the same id: it never applies twice).
 */
export const RetryReasons = ['not_owner', 'fenced', 'overloaded', 'shutting_down', 'deadline', 'journal_unavailable'] as const;
export const RetryReason = Schema.Literal(...RetryReasons);
export type RetryReason = typeof RetryReason.Type;

export const RetryOutcome = Schema.TaggedStruct('Retry', {
  reason: RetryReason,
  detail: Schema.String,
});
export type RetryOutcome = typeof RetryOutcome.Type;

export const ReplyOutcome = Schema.Union(AcceptedOutcome, RejectedOutcome, RetryOutcome);
export type ReplyOutcome = typeof ReplyOutcome.Type;
