// The answers of DESIGN.md §6 as schemas, so a test reads a body by decoding it (never by casting)
// and a body that breaks the contract fails with the decoder's message.
import { Either, ParseResult, Schema } from 'effect';
import type { ProblemType } from '../../src/Http/Problems.js';
import type { HttpAnswer } from './HttpClient.js';

export const ProblemBody = Schema.Struct({
  type: Schema.String,
  title: Schema.String,
  status: Schema.Int,
  detail: Schema.String,
});

export const StockBody = Schema.Struct({
  sku: Schema.String,
  available: Schema.Int,
  onHand: Schema.Int,
  reserved: Schema.Int,
  version: Schema.Int,
  asOf: Schema.String,
});
export type StockBody = typeof StockBody.Type;

export const StockBatchBody = Schema.Struct({ items: Schema.Array(StockBody), missing: Schema.Array(Schema.String) });

export const ReservationLine = Schema.Struct({ sku: Schema.String, qty: Schema.Int });

export const HeldBody = Schema.Struct({
  reservationId: Schema.String,
  status: Schema.Literal('held'),
  expiresAt: Schema.String,
  lines: Schema.Array(ReservationLine),
});

export const ReservationBody = Schema.Struct({
  reservationId: Schema.String,
  status: Schema.String,
  lines: Schema.Array(ReservationLine),
});

export const StatusBody = Schema.Struct({ status: Schema.String });

/** Decodes a body, failing the test with the status, the body and what did not match. */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I>, answer: HttpAnswer): A => {
  const result = Schema.decodeUnknownEither(schema)(answer.body);
  if (Either.isRight(result)) return result.right;
  throw new Error(
    `body of the ${answer.status} answer does not match: ${ParseResult.TreeFormatter.formatErrorSync(result.left)}\n${answer.text.slice(0, 2000)}`,
  );
};

// Spelled out, not imported: the URNs are a public contract and must not change silently.
export const problemUri = (type: ProblemType) => `urn:larder:problem:${type}`;

/** True when the answer is a problem+json document of this status and type (RFC 9457). */
export const problemOf = (answer: HttpAnswer) => ({
  status: answer.status,
  contentType: answer.contentType.split(';')[0],
  type: Schema.is(ProblemBody)(answer.body) ? answer.body.type : undefined,
  bodyStatus: Schema.is(ProblemBody)(answer.body) ? answer.body.status : undefined,
});

/** What `problemOf` gives for a problem of this status and type. */
export const problem = (status: number, type: ProblemType) => ({
  status,
  contentType: 'application/problem+json',
  type: problemUri(type),
  bodyStatus: status,
});
