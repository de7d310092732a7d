// POST /v1/reservations/:id/commit as a shell around `decideCommit`: one CommitReservation per hold to
// the owners; when an owner does not answer, the same commands (same ids) are stored on INV_CMD and
// apply exactly once when it is back: the client hears 202 pending instead of an error for a payment
// already captured. The record follows what the owners confirmed.
import { decideCommit, Quantity, Reference, type Actor, type ClosedStatus, type CommitReservation, type EpochMillis, type ReservationId, type ReservationStatus, type Sku } from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askEach, enqueueAll } from './AskOwner.js';
import { derivedId } from './DerivedIds.js';
import type { RequestRecords } from './RequestRecords.js';
import { findActionable, updateRecord } from './UpdateRecord.js';

export type CommitResult =
  | { readonly _tag: 'NotFound' }
  /** `lots`: what each SKU's owner took, lot by lot (empty for SKUs without lots, or when an earlier commit's answer did not record them). */
  | { readonly _tag: 'Committed'; readonly lots: ReadonlyArray<CommittedLot> }
  | { readonly _tag: 'Pending' }
  | { readonly _tag: 'Closed'; readonly status: Exclude<ClosedStatus, 'committed'>; readonly lines: ReadonlyArray<{ readonly sku: Sku; readonly status: ReservationStatus }> }
  | { readonly _tag: 'Unavailable'; readonly detail: string };

export interface CommittedLot {
  readonly sku: Sku;
  readonly lot: string;
  readonly qty: number;
}

export interface CommitRequest {
  readonly reservationId: ReservationId;
  readonly actor: Actor;
  readonly now: EpochMillis;
  /** `admin`: may act on a hold another principal placed (otherwise it is answered NotFound). */
  readonly forAnyone: boolean;
}

export const commitHold = async (gateway: CommandGateway, records: RequestRecords, request: CommitRequest): Promise<CommitResult> => {
  const { reservationId } = request;
  const found = await findActionable(records, reservationId, request.actor, request.forAnyone);
  if (found === undefined) return { _tag: 'NotFound' };
  const stored = found.record;
  if (stored.state === 'committed') return { _tag: 'Committed', lots: stored.lots ?? [] };
  if (stored.state === 'released' || stored.state === 'expired') return { _tag: 'Closed', status: stored.state, lines: [] };
  const commands = stored.holds.map(
    ({ sku }): CommitReservation => ({
      _tag: 'CommitReservation',
      commandId: derivedId(reservationId, 'commit', sku),
      actor: request.actor,
      now: request.now,
      sku,
      reservationId,
      ...(stored.orderId === undefined ? {} : { reference: Reference.make(stored.orderId) }),
    }),
  );
  const replies = await askEach(gateway, commands);
  const decision = decideCommit(replies);
  switch (decision._tag) {
    case 'Committed': {
      // Each owner answers the lots it took, a retried commit too (its hold remembers them); an owner
      // that answered nothing of them (a hold committed before lots) keeps what the record has.
      const answered = new Set(replies.flatMap(({ sku, reply }) => (reply._tag === 'Accepted' && reply.lots !== undefined ? [sku] : [])));
      const taken = replies.flatMap(({ sku, reply }) => (reply._tag === 'Accepted' ? (reply.lots ?? []).map((t) => ({ sku, lot: t.lot, qty: t.qty })) : []));
      const lots = [...(stored.lots ?? []).filter((l) => !answered.has(l.sku)), ...taken];
      await updateRecord(records, found, (r) => ({ ...r, state: 'committed', commitPending: undefined, ...(lots.length === 0 ? {} : { lots: lots.map((l) => ({ ...l, qty: Quantity.make(l.qty) })) }) }));
      return { _tag: 'Committed', lots };
    }
    case 'Closed':
      await updateRecord(records, found, (r) => (r.state === 'held' ? { ...r, state: decision.status, commitPending: undefined } : r));
      return decision;
    case 'Pending': {
      // Stamped when the client asked: the owner judges the commit against the hold's expiry as of then.
      const waiting = commands.filter((c) => decision.enqueue.includes(c.sku));
      if (!(await enqueueAll(gateway, waiting))) return { _tag: 'Unavailable', detail: 'neither the owners nor JetStream took the commit' };
      await updateRecord(records, found, (r) => (r.state === 'held' ? { ...r, commitPending: true } : r));
      return { _tag: 'Pending' };
    }
  }
};
