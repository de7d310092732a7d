// A reservation's record as commit and release find it, and how they move it to what its owners
// confirmed: compare-and-set, so a write that raced another (a commit and a read both learning the
// truth) reads again and re-applies, a few times at most.
import type { Actor, ReservationId } from '@larder/domain';
import { mayActOn, wasHeld, type ReservationRecord } from './ReservationRecord.js';
import { RequestRecordError, type RequestRecords, type Revisioned } from './RequestRecords.js';

export type FoundReservation = Revisioned<ReservationRecord> & { readonly digest: string };

/** A reservation that was held, if `actor` may act on it (its owner, or anyone with `forAnyone`); else none, as for an unknown id. */
export const findActionable = async (records: RequestRecords, reservationId: ReservationId, actor: Actor, forAnyone: boolean): Promise<FoundReservation | undefined> => {
  const found = await records.findReservation(reservationId);
  return found !== undefined && wasHeld(found.record) && mayActOn(found.record, actor, forAnyone) ? found : undefined;
};

/** Writes `change` of the record as found (over its revision); if it changed meanwhile, reads it again and re-applies. */
export const updateRecord = async (
  records: RequestRecords,
  found: FoundReservation,
  change: (record: ReservationRecord) => ReservationRecord,
  attempts = 5,
): Promise<ReservationRecord> => {
  const next = change(found.record);
  if (next === found.record) return next;
  const written = await records.update(found.digest, next, found.revision);
  if (written._tag === 'Written') return next;
  if (attempts <= 1) throw new RequestRecordError(`request ${found.digest}: the reservation's record kept changing while it was updated`);
  const again = await records.get(found.digest);
  if (again === undefined || again.record.kind !== 'hold') throw new RequestRecordError(`request ${found.digest}: the reservation's record vanished while it was updated`);
  return updateRecord(records, { digest: found.digest, revision: again.revision, record: again.record }, change, attempts - 1);
};
