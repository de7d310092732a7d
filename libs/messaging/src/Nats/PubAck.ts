// JetStream's answer to a publish, decoded: the stored sequence, or the API error that refused it.
import { Either, Schema } from 'effect';

const Ack = Schema.Struct({ stream: Schema.String, seq: Schema.Int, duplicate: Schema.optional(Schema.Boolean) });
const Refusal = Schema.Struct({
  error: Schema.Struct({ code: Schema.Int, err_code: Schema.optional(Schema.Int), description: Schema.String }),
});
// Refusal first: nats-server 2.9 answers a failed expectation with `error` *and* `stream`/`seq: 0`,
// which would also match Ack.
const decodeAnswer = Schema.decodeUnknownEither(Schema.Union(Refusal, Ack));

export interface PubAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

/** JetStream error code for a failed `Nats-Expected-Last-*-Sequence` check. */
export const WrongLastSequence = 10071;

export type PubAckFailure =
  | { readonly _tag: 'Refused'; readonly code: number; readonly errCode: number; readonly description: string }
  | { readonly _tag: 'NoStream'; readonly description: string }
  | { readonly _tag: 'Timeout'; readonly description: string }
  | { readonly _tag: 'Malformed'; readonly description: string };

const textDecoder = new TextDecoder();

export const decodePubAck = (data: Uint8Array): Either.Either<PubAck, PubAckFailure> => {
  const parsed = Either.try((): unknown => JSON.parse(textDecoder.decode(data)));
  const answer = Either.flatMap(parsed, (json) => decodeAnswer(json));
  if (Either.isLeft(answer)) return Either.left({ _tag: 'Malformed', description: `not a PubAck: ${textDecoder.decode(data).slice(0, 200)}` });
  const value = answer.right;
  if ('error' in value) {
    return Either.left({
      _tag: 'Refused',
      code: value.error.code,
      errCode: value.error.err_code ?? 0,
      description: value.error.description,
    });
  }
  return Either.right({ stream: value.stream, seq: value.seq, duplicate: value.duplicate ?? false });
};
