// The SKU format check at the wire: anything from outside becomes a branded `Sku` here or is
// refused with a reason, so an unchecked string can never reach a subject or a KV key.
import { Sku } from '@larder/domain';
import { Either, ParseResult, Schema } from 'effect';
import { InvalidSku } from './InvalidSku.js';

const decodeSku = Schema.decodeUnknownEither(Sku);

/** Checks `input` against the domain's `Sku` schema (1–64 of `A-Z a-z 0-9 _ -`, not starting with `_`/`-`). */
export const parseSku = (input: unknown): Either.Either<Sku, InvalidSku> =>
  Either.mapLeft(
    decodeSku(input),
    (error) => new InvalidSku({ input, reason: ParseResult.TreeFormatter.formatErrorSync(error) }),
  );
