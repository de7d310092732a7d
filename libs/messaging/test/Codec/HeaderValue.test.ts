// Header values must stay one line: a multi-line reason is folded before it becomes a header.
import { describe, expect, it } from '@effect/vitest';
import { headerValue, MaxHeaderValueLength } from '../../src/index.js';

describe('headerValue', () => {
  it('folds control characters and runs of spaces into single spaces', () => {
    expect(headerValue('  a\r\nb\tc\u0000d   e  ')).toBe('a b c d e');
  });

  it('caps the length', () => {
    const value = headerValue('x'.repeat(5000));
    expect(value).toHaveLength(MaxHeaderValueLength);
    expect(value.endsWith('...')).toBe(true);
    expect(headerValue('abcdef', 5)).toBe('ab...');
  });

  it('leaves a short single line alone', () => {
    expect(headerValue('CommandMessage: command._tag: Expected …')).toBe('CommandMessage: command._tag: Expected …');
  });
});
