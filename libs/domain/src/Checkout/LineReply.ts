// What one SKU's owner said to one command of a checkout, in domain terms: the shell turns the wire's
// answer into this (a Retry, a time-out or no owner are all `Unanswered`: the command may have applied).
import type { LocationId, Sku } from '../Ids.js';
import type { EpochMillis, Quantity } from '../Quantities.js';
import type { Rejection } from '../Rejections.js';
import type { ReservationStatus } from '../ReservationStatus.js';

/** The hold a reservation command touched, as its owner holds it after the command. */
export interface HoldSeen {
  readonly status: ReservationStatus;
  readonly qty: Quantity;
  /** Decided by the owner's clock: the one time of a hold. */
  readonly expiresAt: EpochMillis;
  /** Where the owner placed it (chosen by priority when the line named no location). */
  readonly location?: LocationId;
}

export type LineReply =
  | {
      readonly _tag: 'Accepted';
      /** The command appended events now (false: a no-op or a retry of something already done). */
      readonly fresh: boolean;
      readonly hold: HoldSeen | undefined;
      /** A commit decided now: the lots it took. */
      readonly lots?: ReadonlyArray<{ readonly lot: string; readonly qty: number }>;
    }
  | {
      readonly _tag: 'Rejected';
      readonly rejection: Rejection;
      /** false: the owner answered a refusal it had recorded before (a retry); true or absent: decided now. */
      readonly recordedNow?: boolean;
    }
  | { readonly _tag: 'Unanswered'; readonly why: string };

/** One hold of a reservation (its SKU) and its owner's answer. */
export interface HoldReply {
  readonly sku: Sku;
  readonly reply: LineReply;
}
