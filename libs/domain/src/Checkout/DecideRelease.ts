// Releasing a reservation (cancelled, payment failed): a hold already released or expired is released
// as far as the client cares; a committed hold makes the whole reservation committed (too late to
// cancel); an owner that did not answer leaves the release undecided (the client retries: same ids).
import { absurd } from 'effect';
import type { Sku } from '../Ids.js';
import type { HoldReply, LineReply } from './LineReply.js';

export type ReleasedHold = 'released' | 'committed' | 'unknown';

export type ReleaseDecision =
  | { readonly _tag: 'Released' }
  | { readonly _tag: 'Committed'; readonly lines: ReadonlyArray<{ readonly sku: Sku; readonly status: ReleasedHold }> }
  | { readonly _tag: 'Undecided'; readonly unanswered: ReadonlyArray<Sku> };

export const afterRelease = (reply: LineReply): ReleasedHold => {
  switch (reply._tag) {
    case 'Unanswered':
      return 'unknown';
    case 'Accepted':
      if (reply.hold?.status === 'committed') return 'committed';
      // Still open after its release: the owner has not released it (yet); ask again.
      return reply.hold?.status === 'held' ? 'unknown' : 'released';
    case 'Rejected':
      // UnknownReservation: nothing is held under this id there (never placed, or long closed).
      return reply.rejection._tag === 'ReservationAlreadyCommitted' ? 'committed' : 'released';
    default:
      return absurd<ReleasedHold>(reply);
  }
};

export const decideRelease = (lines: ReadonlyArray<HoldReply>): ReleaseDecision => {
  const after = lines.map(({ sku, reply }) => ({ sku, status: afterRelease(reply) }));
  if (after.some((l) => l.status === 'committed')) return { _tag: 'Committed', lines: after };
  const unanswered = after.flatMap((l) => (l.status === 'unknown' ? [l.sku] : []));
  return unanswered.length > 0 ? { _tag: 'Undecided', unanswered } : { _tag: 'Released' };
};
