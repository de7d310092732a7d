// POST /v1/reservations/:id/release as a shell around `decideRelease`: one ReleaseReservation (reason
// `cancelled`) per hold. A hold already released or expired is released as far as the client cares; a
// committed one is not. The record follows what the owners confirmed.
import { decideRelease, type Actor, type EpochMillis, type ReleasedHold, type ReleaseReservation, type ReservationId, type Sku } from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askEach } from './AskOwner.js';
import { derivedId } from './DerivedIds.js';
import type { RequestRecords } from './RequestRecords.js';
import { findActionable, updateRecord } from './UpdateRecord.js';

export type ReleaseResult =
  | { readonly _tag: 'NotFound' }
  | { readonly _tag: 'Released' }
  | { readonly _tag: 'Committed'; readonly lines: ReadonlyArray<{ readonly sku: Sku; readonly status: ReleasedHold }> }
  | { readonly _tag: 'Unavailable'; readonly detail: string };

export const releaseHold = async (
  gateway: CommandGateway,
  records: RequestRecords,
  request: { readonly reservationId: ReservationId; readonly actor: Actor; readonly now: EpochMillis; readonly forAnyone: boolean },
): Promise<ReleaseResult> => {
  const { reservationId } = request;
  const found = await findActionable(records, reservationId, request.actor, request.forAnyone);
  if (found === undefined) return { _tag: 'NotFound' };
  const stored = found.record;
  if (stored.state === 'committed') return { _tag: 'Committed', lines: stored.holds.map(({ sku }) => ({ sku, status: 'committed' })) };
  if (stored.state !== 'held') return { _tag: 'Released' };
  const commands = stored.holds.map(
    ({ sku }): ReleaseReservation => ({
      _tag: 'ReleaseReservation',
      commandId: derivedId(reservationId, 'release', sku),
      actor: request.actor,
      now: request.now,
      sku,
      reservationId,
      reason: 'cancelled',
    }),
  );
  const decision = decideRelease(await askEach(gateway, commands));
  switch (decision._tag) {
    case 'Committed':
      await updateRecord(records, found, (r) => ({ ...r, state: 'committed', commitPending: undefined }));
      return decision;
    case 'Undecided':
      return { _tag: 'Unavailable', detail: `no answer for ${decision.unanswered.join(', ')}` };
    case 'Released':
      await updateRecord(records, found, (r) => (r.state === 'held' ? { ...r, state: 'released' } : r));
      return decision;
  }
};
