// The generic JSON+Schema codec: every way bytes can be wrong ends in a DecodeError, never a throw.
import { describe, expect, it } from '@effect/vitest';
import { Either, FastCheck, Schema } from 'effect';
import { makeJsonCodec, MaxReasonLength, WireVersion } from '../../src/index.js';
import { expectDecodeError, expectDecoded } from '../Fixtures/ExpectDecodeError.js';
import { jsonBytes } from '../Fixtures/DomainFixtures.js';

const Ping = Schema.Struct({ v: WireVersion, n: Schema.Int, tags: Schema.Array(Schema.String) });
const strict = makeJsonCodec(Ping, { name: 'Ping', onExcessProperty: 'error' });
const tolerant = makeJsonCodec(Ping, { name: 'Ping', onExcessProperty: 'ignore' });

describe('makeJsonCodec', () => {
  it('round-trips a value as UTF-8 JSON', () => {
    const bytes = strict.encode({ v: 1, n: 3, tags: ['ü'] });
    expect(new TextDecoder().decode(bytes)).toBe('{"v":1,"n":3,"tags":["ü"]}');
    expectDecoded(strict.decode(bytes), { v: 1, n: 3, tags: ['ü'] });
  });

  it.each([
    ['empty bytes', new Uint8Array(0), 'not UTF-8 JSON'],
    ['truncated JSON', new TextEncoder().encode('{"v":1,'), 'not UTF-8 JSON'],
    ['invalid UTF-8', Uint8Array.of(0x7b, 0xff, 0x7d), 'not UTF-8 JSON'],
    ['a JSON array', jsonBytes([1]), 'not a versioned envelope'],
    ['a JSON string', jsonBytes('hello'), 'not a versioned envelope'],
    ['JSON null', jsonBytes(null), 'not a versioned envelope'],
    ['no version', jsonBytes({ n: 1, tags: [] }), 'not a versioned envelope'],
    ['a string version', jsonBytes({ v: '1', n: 1, tags: [] }), 'not a versioned envelope'],
    ['an unknown version', jsonBytes({ v: 2, n: 1, tags: [] }), 'unsupported wire version 2'],
    ['version 0', jsonBytes({ v: 0, n: 1, tags: [] }), 'unsupported wire version 0'],
    ['a wrong type', jsonBytes({ v: 1, n: 'one', tags: [] }), 'n: Expected number, actual "one"'],
    ['a wrong nested type', jsonBytes({ v: 1, n: 1, tags: [7] }), 'tags.0: Expected string, actual 7'],
    ['a missing field', jsonBytes({ v: 1, tags: [] }), 'n: is missing'],
  ])('refuses %s', (_, bytes, reason) => {
    expectDecodeError(strict.decode(bytes), 'Ping: ', reason);
  });

  it('refuses unknown fields when strict, drops them when tolerant', () => {
    const bytes = jsonBytes({ v: 1, n: 1, tags: [], extra: true });
    expectDecodeError(strict.decode(bytes), 'extra: is unexpected');
    expectDecoded(tolerant.decode(bytes), { v: 1, n: 1, tags: [] });
  });

  it('caps a long reason', () => {
    const result = strict.decode(jsonBytes({ v: 1, n: 'x'.repeat(10_000), tags: [] }));
    expect(Either.isLeft(result) && result.left.reason.length).toBeLessThanOrEqual(MaxReasonLength);
  });

  it.prop('never throws on arbitrary bytes', [FastCheck.uint8Array({ maxLength: 64 })], ([bytes]) => {
    expect(Either.isEither(strict.decode(bytes))).toBe(true);
  });

  it.prop('never throws on arbitrary JSON', [FastCheck.jsonValue()], ([json]) => {
    expect(Either.isEither(strict.decode(jsonBytes(json)))).toBe(true);
  });
});
