// POST /v1/reservations/:id/commit as a flow: one CommitReservation per line to the owners. When an
// owner does not answer, the same commands (same ids) are stored on INV_CMD and apply exactly once
// when it is back: the client hears 202 pending instead of an error for a payment already captured.
import { Reference, type Actor, type CommitReservation, type EpochMillis, type ReservationId, type Sku } from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askOwner, enqueueAll, type OwnerReply } from './AskOwner.js';
import { derivedId } from './DerivedIds.js';
import { mayActOn, type StoredStatus } from './ReservationRecord.js';
import type { ReservationStore } from './ReservationStore.js';

export type ClosedStatus = Exclude<StoredStatus, 'held'>;

export type CommitResult =
  | { readonly _tag: 'NotFound' }
  | { readonly _tag: 'Committed' }
  | { readonly _tag: 'Pending' }
  | { readonly _tag: 'Closed'; readonly status: ClosedStatus; readonly lines: ReadonlyArray<{ readonly sku: Sku; readonly status: StoredStatus }> }
  | { readonly _tag: 'Unavailable'; readonly detail: string };

type LineState = { readonly _tag: 'Done'; readonly status: ClosedStatus } | { readonly _tag: 'Unknown'; readonly why: string };

/** What a commit's reply says about its line: committed, closed otherwise, or not known yet. */
const stateOf = (reply: OwnerReply): LineState => {
  if (reply._tag === 'Unanswered') return { _tag: 'Unknown', why: reply.why };
  const outcome = reply.outcome;
  if (outcome._tag === 'Retry') return { _tag: 'Unknown', why: outcome.reason };
  if (outcome._tag === 'Accepted') {
    const status = outcome.reservation?.status ?? 'committed';
    return status === 'held' ? { _tag: 'Unknown', why: 'the hold is still open after its commit' } : { _tag: 'Done', status };
  }
  switch (outcome.rejection._tag) {
    case 'ReservationAlreadyExpired':
      return { _tag: 'Done', status: 'expired' };
    case 'ReservationAlreadyReleased':
      return { _tag: 'Done', status: 'released' };
    case 'ReservationAlreadyCommitted':
      return { _tag: 'Done', status: 'committed' };
    case 'UnknownReservation':
      // The owner forgets a hold an hour after it closed; the record outlives that.
      return { _tag: 'Done', status: 'expired' };
    default:
      return { _tag: 'Unknown', why: `unexpected rejection ${outcome.rejection._tag}` };
  }
};

export const commitHold = async (
  gateway: CommandGateway,
  store: ReservationStore,
  request: {
    readonly reservationId: ReservationId;
    readonly actor: Actor;
    readonly now: EpochMillis;
    /** `admin`: may act on a hold another principal placed (otherwise it is answered NotFound). */
    readonly forAnyone: boolean;
  },
): Promise<CommitResult> => {
  const { reservationId } = request;
  const stored = await store.get(reservationId);
  if (stored === undefined || !mayActOn(stored, request.actor, request.forAnyone)) return { _tag: 'NotFound' };
  if (stored.status === 'committed') return { _tag: 'Committed' };
  if (stored.status !== 'held') return { _tag: 'Closed', status: stored.status, lines: [] };
  const { orderId } = stored.terms;
  const lines = await Promise.all(
    stored.terms.lines.map(async ({ sku }) => {
      const command: CommitReservation = {
        _tag: 'CommitReservation',
        commandId: derivedId(reservationId, 'commit', sku),
        actor: request.actor,
        now: request.now,
        sku,
        reservationId,
        ...(orderId === undefined ? {} : { reference: Reference.make(orderId) }),
      };
      return { sku, command, state: stateOf(await askOwner(gateway, command)) };
    }),
  );
  const closed = lines.flatMap(({ sku, state }) => (state._tag === 'Done' && state.status !== 'committed' ? [{ sku, status: state.status }] : []));
  const first = closed[0];
  if (first !== undefined) {
    await store.mark(reservationId, first.status);
    return {
      _tag: 'Closed',
      status: first.status,
      lines: lines.map(({ sku, state }) => ({ sku, status: state._tag === 'Done' ? state.status : 'held' })),
    };
  }
  const unknown = lines.filter((l) => l.state._tag === 'Unknown');
  if (unknown.length > 0) {
    // Stamped when the client asked: the owner judges the commit against the hold's expiry as of then.
    if (!(await enqueueAll(gateway, unknown.map((l) => l.command)))) {
      return { _tag: 'Unavailable', detail: 'neither the owners nor JetStream took the commit' };
    }
    await store.mark(reservationId, 'pending');
    return { _tag: 'Pending' };
  }
  await store.mark(reservationId, 'committed');
  return { _tag: 'Committed' };
};
