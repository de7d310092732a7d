// Assertion helpers for decoders: a refusal is a DecodeError whose reason names the problem.
import { expect } from '@effect/vitest';
import { Either } from 'effect';
import { DecodeError } from '../../src/index.js';

export const expectDecodeError = <A>(result: Either.Either<A, DecodeError>, ...fragments: ReadonlyArray<string>): void => {
  expect(Either.isLeft(result)).toBe(true);
  if (Either.isLeft(result)) {
    expect(result.left).toBeInstanceOf(DecodeError);
    for (const fragment of fragments) expect(result.left.reason).toContain(fragment);
  }
};

export const expectDecoded = <A>(result: Either.Either<A, DecodeError>, expected: A): void => {
  expect(result).toEqual(Either.right(expected));
};
