// POST /v1/reservations/:id/release as a flow: one ReleaseReservation (reason `cancelled`) per line.
// A hold already released or expired is released as far as the client cares; a committed one is not.
import type { Actor, EpochMillis, ReleaseReservation, ReservationId, Sku } from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askOwner, type OwnerReply } from './AskOwner.js';
import { derivedId } from './DerivedIds.js';
import { mayActOn } from './ReservationRecord.js';
import type { ReservationStore } from './ReservationStore.js';

export type ReleaseResult =
  | { readonly _tag: 'NotFound' }
  | { readonly _tag: 'Released' }
  | { readonly _tag: 'Committed'; readonly lines: ReadonlyArray<{ readonly sku: Sku; readonly status: 'committed' | 'released' | 'unknown' }> }
  | { readonly _tag: 'Unavailable'; readonly detail: string };

type LineState = 'released' | 'committed' | 'unknown';

const stateOf = (reply: OwnerReply): LineState => {
  if (reply._tag === 'Unanswered') return 'unknown';
  const outcome = reply.outcome;
  if (outcome._tag === 'Retry') return 'unknown';
  if (outcome._tag === 'Accepted') return outcome.reservation?.status === 'committed' ? 'committed' : 'released';
  // UnknownReservation: nothing is held under this id on that SKU (never placed there, or long closed).
  return outcome.rejection._tag === 'ReservationAlreadyCommitted' ? 'committed' : 'released';
};

export const releaseHold = async (
  gateway: CommandGateway,
  store: ReservationStore,
  request: {
    readonly reservationId: ReservationId;
    readonly actor: Actor;
    readonly now: EpochMillis;
    /** `admin`: may act on a hold another principal placed (otherwise it is answered NotFound). */
    readonly forAnyone: boolean;
  },
): Promise<ReleaseResult> => {
  const { reservationId } = request;
  const stored = await store.get(reservationId);
  if (stored === undefined || !mayActOn(stored, request.actor, request.forAnyone)) return { _tag: 'NotFound' };
  if (stored.status === 'committed') return { _tag: 'Committed', lines: stored.terms.lines.map(({ sku }) => ({ sku, status: 'committed' })) };
  if (stored.status !== 'held') return { _tag: 'Released' };
  const lines = await Promise.all(
    stored.terms.lines.map(async ({ sku }) => {
      const command: ReleaseReservation = {
        _tag: 'ReleaseReservation',
        commandId: derivedId(reservationId, 'release', sku),
        actor: request.actor,
        now: request.now,
        sku,
        reservationId,
        reason: 'cancelled',
      };
      return { sku, status: stateOf(await askOwner(gateway, command)) };
    }),
  );
  if (lines.some((l) => l.status === 'committed')) {
    await store.mark(reservationId, 'committed');
    return { _tag: 'Committed', lines };
  }
  if (lines.some((l) => l.status === 'unknown')) {
    return { _tag: 'Unavailable', detail: `no answer for ${lines.flatMap((l) => (l.status === 'unknown' ? [l.sku] : [])).join(', ')}` };
  }
  await store.mark(reservationId, 'released');
  return { _tag: 'Released' };
};
