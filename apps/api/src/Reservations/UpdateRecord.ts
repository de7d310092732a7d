// Moves a reservation's record to what its owners confirmed, compare-and-set: a write that raced another
// (a commit and a read both learning the truth) reads again and re-applies, a few times at most.
import type { ReservationRecord } from './ReservationRecord.js';
import { RequestRecordError, type RequestRecords, type Revisioned } from './RequestRecords.js';

/** `known`: the record as last read (it is written over that revision first; read again if stale). */
export const updateRecord = async (
  records: RequestRecords,
  digest: string,
  change: (record: ReservationRecord) => ReservationRecord,
  known?: Revisioned<ReservationRecord>,
  attempts = 5,
): Promise<ReservationRecord> => {
  const found = known ?? (await records.get(digest));
  if (found === undefined || found.record.kind !== 'hold') throw new RequestRecordError(`request ${digest}: the reservation's record vanished while it was updated`);
  const next = change(found.record);
  if (next === found.record) return next;
  const written = await records.update(digest, next, found.revision);
  if (written._tag === 'Written') return next;
  if (attempts <= 1) throw new RequestRecordError(`request ${digest}: the reservation's record kept changing while it was updated`);
  return updateRecord(records, digest, change, undefined, attempts - 1);
};
