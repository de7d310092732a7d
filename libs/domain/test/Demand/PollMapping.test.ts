// Specification of a poll's mapping of answers to SKUs (DESIGN.md §10 "Demand"): its shape, the rows it
// stands for (an answer may name several SKUs, or none), its limits, and back.
import { describe, expect, it } from '@effect/vitest';
import { Either, Schema } from 'effect';
import { collectPollMapping, expandPollMapping, MaxMappedAnswers, MaxSkusPerAnswer, PollMapping } from '../../src/index.js';

const decode = Schema.decodeUnknownEither(PollMapping, { onExcessProperty: 'error' });
const mapping = (input: unknown) => Either.getOrThrow(decode(input));

describe('given a mapping of a flavour question and a size question', () => {
  const m = mapping({
    answers: {
      flavour: { 'ghost-pepper': ['JERKY-GHOST-50G', 'JERKY-GHOST-100G'], teriyaki: ['JERKY-TERI-50G', 'JERKY-TERI-50G'] },
      size: { '100g': [] },
    },
  });

  it('stands for a row per answer; a flavour names both its sizes, a SKU listed twice counts once', () => {
    expect(Either.getOrThrow(expandPollMapping(m))).toEqual([
      { questionId: 'flavour', answerId: 'ghost-pepper', skus: ['JERKY-GHOST-50G', 'JERKY-GHOST-100G'] },
      { questionId: 'flavour', answerId: 'teriyaki', skus: ['JERKY-TERI-50G'] },
      { questionId: 'size', answerId: '100g', skus: [] },
    ]);
  });

  it('is collected back from its rows', () => {
    expect(collectPollMapping(Either.getOrThrow(expandPollMapping(m)))).toEqual({
      answers: { flavour: { 'ghost-pepper': ['JERKY-GHOST-50G', 'JERKY-GHOST-100G'], teriyaki: ['JERKY-TERI-50G'] }, size: { '100g': [] } },
    });
  });
});

describe('given an empty mapping', () => {
  it('stands for no rows', () => {
    expect(Either.getOrThrow(expandPollMapping(mapping({ answers: {} })))).toEqual([]);
  });
});

describe('given a mapping that cannot stand', () => {
  it.each([
    ['a question id with a space', { answers: { 'fav flavour': { a: ['SKU-A'] } } }],
    ['an answer id with a slash', { answers: { q: { 'a/b': ['SKU-A'] } } }],
    ['a SKU with a dot', { answers: { q: { a: ['SKU.A'] } } }],
    ['SKUs not in a list', { answers: { q: { a: 'SKU-A' } } }],
    ['the old flat form', { answers: { 'q:a': ['SKU-A'] } }],
    ['a field of its own', { answers: {}, pollId: 'p' }],
    [`more than ${MaxSkusPerAnswer} SKUs for an answer`, { answers: { q: { a: Array.from({ length: MaxSkusPerAnswer + 1 }, (_, i) => `SKU-${i}`) } } }],
  ])('refuses %s', (_, input) => {
    expect(Either.isLeft(decode(input))).toBe(true);
  });

  it(`refuses more than ${MaxMappedAnswers} answers over all questions`, () => {
    const half = (q: string) => Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`${q}-${i}`, ['SKU-A']]));
    expect(expandPollMapping(mapping({ answers: { q1: half('a'), q2: half('b') } }))).toEqual(Either.left({ _tag: 'TooManyMappedAnswers', count: 1_002 }));
  });
});
