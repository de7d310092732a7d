// POST records in the replicated `requests` KV bucket, shared by every API instance (ADR 0012): one
// record per caller and Idempotency-Key (a hold's is its reservation), pointers from client-chosen
// reservation ids, and placing markers. Writes are compare-and-set JetStream publishes through the
// process's fast publisher (no promise, timer and error objects per write); reads are KV gets.
import { headers } from '@nats-io/transport-node';
import { HeaderNames, type JetStreamPublisher, type Names, WrongLastSequence } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { Effect, Either, Schema } from 'effect';
import { IdPointer, RequestRecord, type ReservationRecord } from './ReservationRecord.js';

// Records are built by this API from already-decoded, typed values (brands are plain strings and
// numbers), so their JSON is their encoded form: JSON.stringify, not a Schema encode per hold on the hot
// path. Every read still decodes through the schema.
const encodeRecord = (record: RequestRecord): string => JSON.stringify(record);
const decodeRecord = Schema.decodeUnknownEither(Schema.parseJson(RequestRecord));
const encodePointer = Schema.encodeSync(Schema.parseJson(IdPointer));
const decodePointer = Schema.decodeUnknownEither(Schema.parseJson(IdPointer));
const textEncoder = new TextEncoder();

/** Ids the API derives from a caller and key: `r_<digest>` or `r_<digest>-<generation>` (DerivedIds.ts). */
const DerivedIdPattern = /^r_([A-Za-z0-9_-]{22})(?:-\d+)?$/;

export class RequestRecordError extends Error {
  override readonly name = 'RequestRecordError';
}

export interface Revisioned<R> {
  readonly record: R;
  readonly revision: number;
}

/** A write's outcome; `Stale`: someone wrote the key since (or, for a create, it exists). */
export type WriteResult = { readonly _tag: 'Written'; readonly revision: number } | { readonly _tag: 'Stale' };

export interface RequestRecords {
  readonly get: (digest: string) => Promise<Revisioned<RequestRecord> | undefined>;
  /** Writes if no record is there (a purged one counts as none). */
  readonly create: (digest: string, record: RequestRecord) => Promise<WriteResult>;
  /** Replaces the record if it is still at `revision`. */
  readonly update: (digest: string, record: RequestRecord, revision: number) => Promise<WriteResult>;
  readonly purge: (digest: string) => Promise<void>;
  /** Claims a client-chosen reservation id for a key digest; answers the digest that holds it. */
  readonly claimId: (reservationId: string, digest: string) => Promise<string>;
  /** The reservation under an id (derived or client-chosen), if it was ever recorded. */
  readonly findReservation: (reservationId: string) => Promise<(Revisioned<ReservationRecord> & { readonly digest: string }) | undefined>;
  readonly markPlacing: (digest: string) => Promise<void>;
  readonly clearPlacing: (digest: string) => Promise<void>;
  /** Every placing marker with the server's time of writing it. */
  readonly placing: () => Promise<ReadonlyArray<{ readonly digest: string; readonly since: number }>>;
}

export const makeRequestRecords = (kv: KV, publisher: JetStreamPublisher, names: Names): RequestRecords => {
  const bucket = names.buckets.requests;
  const publish = async (key: string, payload: string, expectedLast: number): Promise<WriteResult> => {
    const h = headers();
    h.set(HeaderNames.expectedLastSubjectSequence, String(expectedLast));
    const ack = await Effect.runPromise(Effect.either(publisher.publish(names.kv.subject(bucket, key), textEncoder.encode(payload), h)));
    if (Either.isRight(ack)) return { _tag: 'Written', revision: ack.right.seq };
    const failure = ack.left;
    if (failure._tag === 'Refused' && failure.errCode === WrongLastSequence) return { _tag: 'Stale' };
    throw new RequestRecordError(`the requests bucket refused a write of ${key} (${failure._tag}: ${failure.description})`);
  };
  /** Create: expect nothing there, or, once refused, the purge or delete marker that is. */
  const create = async (key: string, payload: string): Promise<WriteResult> => {
    const first = await publish(key, payload, 0);
    if (first._tag === 'Written') return first;
    const entry = await kv.get(key);
    if (entry === null || entry.operation === 'PUT') return first;
    return publish(key, payload, entry.revision);
  };
  const get = async (digest: string): Promise<Revisioned<RequestRecord> | undefined> => {
    const entry = await kv.get(names.keys.request(digest));
    if (entry === null || entry.operation !== 'PUT') return undefined;
    const record = decodeRecord(entry.string());
    if (Either.isLeft(record)) throw new RequestRecordError(`the record of request ${digest} does not decode: ${record.left.message}`);
    return { record: record.right, revision: entry.revision };
  };
  const pointer = async (reservationId: string): Promise<string | undefined> => {
    const entry = await kv.get(names.keys.reservationId(reservationId));
    if (entry === null || entry.operation !== 'PUT') return undefined;
    const decoded = decodePointer(entry.string());
    if (Either.isLeft(decoded)) throw new RequestRecordError(`the pointer of reservation ${reservationId} does not decode: ${decoded.left.message}`);
    return decoded.right.digest;
  };
  return {
    get,
    create: (digest, record) => create(names.keys.request(digest), encodeRecord(record)),
    update: (digest, record, revision) => publish(names.keys.request(digest), encodeRecord(record), revision),
    purge: async (digest) => {
      await kv.purge(names.keys.request(digest));
    },
    claimId: async (reservationId, digest) => {
      const written = await create(names.keys.reservationId(reservationId), encodePointer({ v: 2, kind: 'id', digest }));
      return written._tag === 'Written' ? digest : ((await pointer(reservationId)) ?? digest);
    },
    findReservation: async (reservationId) => {
      const under = async (digest: string | undefined) => {
        if (digest === undefined) return undefined;
        const found = await get(digest);
        return found !== undefined && found.record.kind === 'hold' && found.record.reservationId === reservationId
          ? { record: found.record, revision: found.revision, digest }
          : undefined;
      };
      // A derived id names its digest; a client's id (even one shaped like a derived id) has a pointer.
      return (await under(DerivedIdPattern.exec(reservationId)?.[1])) ?? (await under(await pointer(reservationId)));
    },
    markPlacing: async (digest) => {
      await kv.put(names.keys.placing(digest), '');
    },
    clearPlacing: async (digest) => {
      await kv.purge(names.keys.placing(digest));
    },
    placing: async () => {
      const found: Array<{ digest: string; since: number }> = [];
      for await (const key of await kv.keys(names.keys.placingAll)) {
        const entry = await kv.get(key);
        if (entry !== null && entry.operation === 'PUT') found.push({ digest: names.keys.digestOfPlacing(key), since: entry.created.getTime() });
      }
      return found;
    },
  };
};
