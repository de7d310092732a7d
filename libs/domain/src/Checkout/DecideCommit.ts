// Committing a reservation (payment captured) across its holds: every hold committed → committed; any
// hold already closed another way → the reservation is closed that way (nothing more to commit); an
// owner that did not answer → its commit is stored for later (exactly once, same command id) and the
// reservation is pending. Pure: the shell sends, stores and answers.
import { absurd } from 'effect';
import type { Sku } from '../Ids.js';
import type { ReservationStatus } from '../ReservationStatus.js';
import type { HoldReply, LineReply } from './LineReply.js';

export type ClosedStatus = Exclude<ReservationStatus, 'held'>;

/** What one hold is after a commit or release: closed one way, or not known yet. */
export type HoldAfter = { readonly _tag: 'Closed'; readonly status: ClosedStatus } | { readonly _tag: 'Unknown'; readonly why: string };

export type CommitDecision =
  | { readonly _tag: 'Committed' }
  /** The hold closed another way first; `lines` says where each hold stands (`held` = not known). */
  | { readonly _tag: 'Closed'; readonly status: Exclude<ClosedStatus, 'committed'>; readonly lines: ReadonlyArray<{ readonly sku: Sku; readonly status: ReservationStatus }> }
  /** Store these holds' commits for their owners (they did not answer); answer 202 pending. */
  | { readonly _tag: 'Pending'; readonly enqueue: ReadonlyArray<Sku> };

/** What an owner's answer to a CommitReservation says about its hold. */
export const afterCommit = (reply: LineReply): HoldAfter => {
  switch (reply._tag) {
    case 'Unanswered':
      return { _tag: 'Unknown', why: reply.why };
    case 'Accepted': {
      const status = reply.hold?.status ?? 'committed';
      return status === 'held' ? { _tag: 'Unknown', why: 'the hold is still open after its commit' } : { _tag: 'Closed', status };
    }
    case 'Rejected':
      switch (reply.rejection._tag) {
        case 'ReservationAlreadyExpired':
          return { _tag: 'Closed', status: 'expired' };
        case 'ReservationAlreadyReleased':
          return { _tag: 'Closed', status: 'released' };
        case 'ReservationAlreadyCommitted':
          return { _tag: 'Closed', status: 'committed' };
        case 'UnknownReservation':
          // The owner remembers a closed hold for a day (Retention.ts); past that, or never placed
          // there, nothing under this id can be committed: as good as expired.
          return { _tag: 'Closed', status: 'expired' };
        default:
          return { _tag: 'Unknown', why: `unexpected rejection ${reply.rejection._tag}` };
      }
    default:
      return absurd<HoldAfter>(reply);
  }
};

export const decideCommit = (lines: ReadonlyArray<HoldReply>): CommitDecision => {
  const after = lines.map(({ sku, reply }) => ({ sku, state: afterCommit(reply) }));
  const closedOtherwise = after.find((l) => l.state._tag === 'Closed' && l.state.status !== 'committed');
  if (closedOtherwise !== undefined && closedOtherwise.state._tag === 'Closed' && closedOtherwise.state.status !== 'committed') {
    return {
      _tag: 'Closed',
      status: closedOtherwise.state.status,
      lines: after.map(({ sku, state }) => ({ sku, status: state._tag === 'Closed' ? state.status : 'held' })),
    };
  }
  const unknown = after.flatMap((l) => (l.state._tag === 'Unknown' ? [l.sku] : []));
  return unknown.length > 0 ? { _tag: 'Pending', enqueue: unknown } : { _tag: 'Committed' };
};
