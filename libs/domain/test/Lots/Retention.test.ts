// Specification of record retention (DESIGN.md §10, 9 CFR 320.3): a record is kept two years after the
// end of the year it was made in (UTC), to the millisecond; a purge may cut only below the start of the
// year two before the current one.
import { describe, expect, it } from '@effect/vitest';
import { earliestPurgeCutoff, mayPurge, purgeCutoffAllowed, retainedUntil } from '../../src/index.js';

const t = (iso: string) => Date.parse(iso);

describe('a record made on the last millisecond of 2024', () => {
  const at = t('2024-12-31T23:59:59.999Z');

  it('is retained until 2027-01-01T00:00:00.000Z (kept through the end of 2026-12-31)', () => {
    expect(new Date(retainedUntil(at)).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('may not be purged at the last millisecond of 2026', () => {
    expect(mayPurge(at, t('2026-12-31T23:59:59.999Z'))).toBe(false);
  });

  it('may be purged from the first millisecond of 2027', () => {
    expect(mayPurge(at, t('2027-01-01T00:00:00.000Z'))).toBe(true);
  });
});

describe('a record made on the first millisecond of 2024', () => {
  const at = t('2024-01-01T00:00:00.000Z');

  it('is retained until the same instant as one made at the end of 2024', () => {
    expect(retainedUntil(at)).toBe(t('2027-01-01T00:00:00.000Z'));
  });

  it('is kept on 2026-06-30, almost two and a half years later', () => {
    expect(mayPurge(at, t('2026-06-30T12:00:00Z'))).toBe(false);
  });
});

describe('a purge at the last millisecond of 2026', () => {
  const now = t('2026-12-31T23:59:59.999Z');

  it('may cut at 2024-01-01 (removing 2023 and older) and no later', () => {
    expect(new Date(earliestPurgeCutoff(now)).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(purgeCutoffAllowed(t('2024-01-01T00:00:00.000Z'), now)).toBe(true);
    expect(purgeCutoffAllowed(t('2023-06-01T00:00:00.000Z'), now)).toBe(true);
  });

  it('is refused a cutoff one millisecond later, which would delete a record of 2024', () => {
    expect(purgeCutoffAllowed(t('2024-01-01T00:00:00.001Z'), now)).toBe(false);
  });
});

describe('a purge at the first millisecond of 2027', () => {
  const now = t('2027-01-01T00:00:00.000Z');

  it('may cut at 2025-01-01: every record of 2024 is past retention', () => {
    expect(new Date(earliestPurgeCutoff(now)).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(purgeCutoffAllowed(t('2025-01-01T00:00:00.000Z'), now)).toBe(true);
  });

  it('agrees with mayPurge on each side of the cutoff', () => {
    const cutoff = earliestPurgeCutoff(now);
    expect(mayPurge(cutoff - 1, now)).toBe(true);
    expect(mayPurge(cutoff, now)).toBe(false);
  });
});
