// The SKU check at the wire: what may become a subject token and KV key, and what never may.
import { describe, expect, it } from '@effect/vitest';
import { Sku } from '@larder/domain';
import { Either } from 'effect';
import { InvalidSku, parseSku } from '../../src/index.js';

const accepted: ReadonlyArray<readonly [string, string]> = [
  ['a typical SKU', 'JERKY-TERIYAKI-100G'],
  ['one letter', 'a'],
  ['one digit', '7'],
  ['64 characters', 'A'.repeat(64)],
  ['underscores and dashes inside', 'sku_42-b'],
];

const refused: ReadonlyArray<readonly [string, unknown]> = [
  ['empty', ''],
  ['65 characters', 'A'.repeat(65)],
  ['a dot (subject separator)', 'a.b'],
  ['a star (wildcard)', 'a*'],
  ['a greater-than (wildcard)', 'a>'],
  ['a space', 'a b'],
  ['a tab', 'a\tb'],
  ['a newline', 'a\nb'],
  ['a trailing newline', 'a\n'],
  ['NUL', 'a\u0000'],
  ['DEL', 'a\u007f'],
  ['a non-ASCII letter', 'jerky-ü'],
  ['an emoji', 'jerky-🥩'],
  ['a leading dash', '-jerky'],
  ['a leading underscore', '_jerky'],
  ['a number', 42],
  ['null', null],
  ['undefined', undefined],
];

describe('parseSku', () => {
  it.each(accepted)('accepts %s', (_, input) => {
    expect(parseSku(input)).toEqual(Either.right(Sku.make(input)));
  });

  it.each(refused)('refuses %s', (_, input) => {
    const result = parseSku(input);
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isLeft(result)) {
      expect(result.left).toBeInstanceOf(InvalidSku);
      expect(result.left.input).toBe(input);
      expect(result.left.reason.length).toBeGreaterThan(0);
    }
  });

  it('says what a SKU may contain', () => {
    const result = parseSku('a.b');
    expect(Either.isLeft(result) && result.left.reason).toContain('a SKU is 1–64 characters');
  });

  it.prop('accepts every SKU the domain schema generates', [Sku], ([sku]) => {
    expect(parseSku(sku)).toEqual(Either.right(sku));
  });
});
