// A poison message kept on `<ns>.inv.dlq.<shard>` with why it failed, so an operator can read it
// and replay it. The original bytes travel as base64; in memory they are a Uint8Array again.
import { EpochMillis } from '@larder/domain';
import { Schema } from 'effect';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

/**
 * A header name: printable ASCII without `:` or spaces. `__proto__` is refused: as a key of a
 * plain object it would set the prototype instead of keeping the header. The reader drops a
 * header whose name fails this (a writer should never produce one).
 */
export const HeaderKey = Schema.String.pipe(
  Schema.pattern(/^[\x21-\x39\x3b-\x7e]+$/, { message: () => 'a header name is printable ASCII without ":" or spaces' }),
  Schema.filter((name) => name !== '__proto__' || 'the header name "__proto__" cannot be kept'),
);

export const DeadLetter = Schema.Struct({
  v: WireVersion,
  /** Why it failed, e.g. a DecodeError's reason. */
  reason: Schema.String,
  /** The subject the original was received on. */
  subject: Schema.String,
  /** The original payload, unchanged (base64 on the wire). */
  original: Schema.Uint8ArrayFromBase64,
  /** The original headers (NATS headers may repeat a name). */
  headers: Schema.Record({ key: HeaderKey, value: Schema.Array(Schema.String) }),
  /** When it was dead-lettered. */
  failedAt: EpochMillis,
  /** How many times it had been delivered. */
  deliveries: Schema.Int.pipe(Schema.positive()),
});
export type DeadLetter = typeof DeadLetter.Type;

const codec = makeJsonCodec(DeadLetter, { name: 'DeadLetter', onExcessProperty: 'ignore' });

export const encodeDeadLetter = codec.encode;
export const decodeDeadLetter = codec.decode;
