// FNV-1a 32 against the published vectors of the FNV reference test suite (test_fnv.c by
// Landon Curt Noll, `fnv1a_32_vector`), over strings (hashed as UTF-8) and raw bytes.
import { describe, expect, it } from '@effect/vitest';
import { FastCheck } from 'effect';
import { fnv1a32, Fnv1a32OffsetBasis, Fnv1a32Prime } from '../../src/index.js';

// [input, expected] pairs copied from test_fnv.c's fnv_test_str / fnv1a_32_vector tables.
const stringVectors: ReadonlyArray<readonly [string, number]> = [
  ['', 0x811c9dc5],
  ['a', 0xe40c292c],
  ['b', 0xe70c2de5],
  ['foo', 0xa9f37ed7],
  ['foobar', 0xbf9cf968],
  ['a\0', 0x2b24d044],
  ['chongo was here!\n', 0xd49930d5],
  ['curds and whey\n', 0x19a1470c],
  ['hi', 0x683af69a],
  ['hello', 0x4f9f2cab],
  ['127.0.0.1', 0x08a3d11e],
  ['64.81.78.68', 0x1d5636a7],
  ['feedface', 0x0588b13c],
  ['line 1\nline 2\nline 3', 0x97b4ea23],
];

const byteVectors: ReadonlyArray<readonly [string, Uint8Array, number]> = [
  ['ff 00 00 01', Uint8Array.of(0xff, 0x00, 0x00, 0x01), 0xc48fb86d],
  ['500 × 00', new Uint8Array(500), 0xfa823dd5],
  ['500 × 7f', new Uint8Array(500).fill(0x7f), 0x813b0881],
];

describe('fnv1a32', () => {
  it('uses the published 32-bit offset basis and prime', () => {
    expect(Fnv1a32OffsetBasis).toBe(2166136261);
    expect(Fnv1a32Prime).toBe(16777619);
  });

  it.each(stringVectors)('hashes %j to the reference value', (input, expected) => {
    expect(fnv1a32(input)).toBe(expected);
  });

  it.each(byteVectors)('hashes the bytes %s to the reference value', (_, bytes, expected) => {
    expect(fnv1a32(bytes)).toBe(expected);
  });

  it('hashes a string as its UTF-8 bytes', () => {
    expect(fnv1a32('ü')).toBe(fnv1a32(Uint8Array.of(0xc3, 0xbc)));
    expect(fnv1a32('foobar')).toBe(fnv1a32(new TextEncoder().encode('foobar')));
  });

  it.prop('is an unsigned 32-bit integer for any input', [FastCheck.string({ unit: 'binary' })], ([input]) => {
    const hash = fnv1a32(input);
    expect(Number.isInteger(hash) && hash >= 0 && hash <= 0xffffffff).toBe(true);
  });
});
