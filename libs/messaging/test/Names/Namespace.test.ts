// The namespace format: it prefixes subjects and (uppercased) stream and bucket names.
import { describe, expect, it } from '@effect/vitest';
import { Either, Schema } from 'effect';
import { DefaultNamespace, Namespace } from '../../src/index.js';

const decode = Schema.decodeUnknownEither(Namespace);

describe('Namespace', () => {
  it('defaults to larder', () => {
    expect(DefaultNamespace).toBe('larder');
  });

  it.each(['larder', 'a', 't_1f3a', 'x'.repeat(32), 'prod_eu_2'])('accepts %j', (input) => {
    expect(Either.isRight(decode(input))).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['33 characters', 'x'.repeat(33)],
    ['uppercase', 'Larder'],
    ['a leading digit', '1larder'],
    ['a leading underscore', '_larder'],
    ['a dot', 'lar.der'],
    ['a dash (not allowed in every name kind)', 'lar-der'],
    ['a wildcard', 'larder*'],
    ['a space', 'lar der'],
    ['a non-string', 7],
  ])('refuses %s', (_, input) => {
    expect(Either.isLeft(decode(input))).toBe(true);
  });
});
