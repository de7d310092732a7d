// Moves a reservation record to what its owners confirmed, compare-and-set: a write that raced another
// (a commit and a read both learning the truth) reads again and re-applies, a few times at most.
import type { ReservationRecord } from './ReservationRecord.js';
import { ReservationRecordError, type ReservationRecords } from './ReservationRecords.js';

export const updateRecord = async (
  records: ReservationRecords,
  reservationId: string,
  change: (record: ReservationRecord) => ReservationRecord,
  attempts = 5,
): Promise<ReservationRecord> => {
  const found = await records.get(reservationId);
  if (found === undefined) throw new ReservationRecordError(`reservation ${reservationId}: the record vanished while it was updated`);
  const next = change(found.record);
  if (next === found.record) return next;
  const written = await records.update(next, found.revision);
  if (written._tag === 'Written') return next;
  if (attempts <= 1) throw new ReservationRecordError(`reservation ${reservationId}: the record kept changing while it was updated`);
  return updateRecord(records, reservationId, change, attempts - 1);
};
