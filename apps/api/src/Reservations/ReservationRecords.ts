// Reservation records in the replicated `reservations` KV bucket, shared by every API instance. Writes
// are compare-and-set JetStream publishes through the process's fast publisher (no promise, timer and
// error objects per write); reads are KV gets. Placing markers name the holds of several SKUs still
// being decided, so a sweep can release them if their API instance dies (AbandonedHolds.ts).
import { headers } from '@nats-io/transport-node';
import { HeaderNames, type JetStreamPublisher, type Names, WrongLastSequence } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { Effect, Either, Schema } from 'effect';
import { ReservationRecord } from './ReservationRecord.js';

const encode = Schema.encodeSync(Schema.parseJson(ReservationRecord));
const decode = Schema.decodeUnknownEither(Schema.parseJson(ReservationRecord));
const textEncoder = new TextEncoder();

export class ReservationRecordError extends Error {
  override readonly name = 'ReservationRecordError';
}

export interface Revisioned {
  readonly record: ReservationRecord;
  readonly revision: number;
}

export type WriteResult = { readonly _tag: 'Written'; readonly revision: number } | { readonly _tag: 'Stale' };

export interface ReservationRecords {
  /** Writes the record if its id has none yet; `Stale` when one exists. */
  readonly create: (record: ReservationRecord) => Promise<WriteResult>;
  /** Replaces the record if it is still at `revision`; `Stale` when someone wrote it since. */
  readonly update: (record: ReservationRecord, revision: number) => Promise<WriteResult>;
  /** undefined when none exists (never placed, or a day past its last change). */
  readonly get: (reservationId: string) => Promise<Revisioned | undefined>;
  readonly markPlacing: (reservationId: string) => Promise<void>;
  readonly clearPlacing: (reservationId: string) => Promise<void>;
  /** Every placing marker with the server's time of writing it. */
  readonly placing: () => Promise<ReadonlyArray<{ readonly reservationId: string; readonly since: number }>>;
}

export const makeReservationRecords = (kv: KV, publisher: JetStreamPublisher, names: Names): ReservationRecords => {
  const bucket = names.buckets.reservations;
  const write = async (record: ReservationRecord, expectedLast: number): Promise<WriteResult> => {
    const h = headers();
    h.set(HeaderNames.expectedLastSubjectSequence, String(expectedLast));
    const subject = names.kv.subject(bucket, names.keys.reservation(record.reservationId));
    const ack = await Effect.runPromise(Effect.either(publisher.publish(subject, textEncoder.encode(encode(record)), h)));
    if (Either.isRight(ack)) return { _tag: 'Written', revision: ack.right.seq };
    const failure = ack.left;
    if (failure._tag === 'Refused' && failure.errCode === WrongLastSequence) return { _tag: 'Stale' };
    throw new ReservationRecordError(`reservation ${record.reservationId}: the record could not be written (${failure._tag}: ${failure.description})`);
  };
  return {
    create: (record) => write(record, 0),
    update: (record, revision) => write(record, revision),
    get: async (reservationId) => {
      const entry = await kv.get(names.keys.reservation(reservationId));
      if (entry === null || entry.operation !== 'PUT') return undefined;
      const record = decode(entry.string());
      if (Either.isLeft(record)) throw new ReservationRecordError(`reservation ${reservationId}: the stored record does not decode: ${record.left.message}`);
      return { record: record.right, revision: entry.revision };
    },
    markPlacing: async (reservationId) => {
      await kv.put(names.keys.placing(reservationId), '');
    },
    clearPlacing: async (reservationId) => {
      await kv.purge(names.keys.placing(reservationId));
    },
    placing: async () => {
      const found: Array<{ reservationId: string; since: number }> = [];
      const keys = await kv.keys(names.keys.placingAll);
      for await (const key of keys) {
        const entry = await kv.get(key);
        if (entry !== null && entry.operation === 'PUT') found.push({ reservationId: names.keys.reservationOfPlacing(key), since: entry.created.getTime() });
      }
      return found;
    },
  };
};
