// Specification of back in stock, exactly once (DESIGN.md §10 "Demand", ADR 0019): rises from 0 and
// falls to 0 per scope, judged against the record of what was announced, never twice for one rise.
import { describe, expect, it } from '@effect/vitest';
import { judgeAvailability, scopeKey, type AvailabilityRecord, type ScopePosition } from '../../src/index.js';

const at = (seq: number | null, levels: Record<string, number>): ScopePosition<string> => ({
  seq,
  scopes: Object.entries(levels).map(([key, available]) => ({ key, available, detail: `${key}@${seq}` })),
});
const kinds = (judged: ReturnType<typeof judgeAvailability<string>>) => judged.crossings.map((c) => `${c.kind} ${c.key} @${c.seq}`);

describe('given a SKU announced in stock at seq 4', () => {
  const record: AvailabilityRecord = { seq: 4, inStock: { sku: true, 'location:main': true } };

  it('when it sells to 0 at seq 5 and a hold expires at seq 7, then it is out once and back once', () => {
    const judged = judgeAvailability(record, [at(5, { sku: 0, 'location:main': 0 }), at(6, { sku: 0, 'location:main': 0 }), at(7, { sku: 2, 'location:main': 2 })]);
    expect(kinds(judged)).toEqual(['out sku @5', 'out location:main @5', 'back sku @7', 'back location:main @7']);
    expect(judged.record).toEqual({ seq: 7, inStock: { sku: true, 'location:main': true } });
  });

  it('when the same positions are judged again against the new record (a replay, a takeover), then nothing is announced', () => {
    const first = judgeAvailability(record, [at(5, { sku: 0 }), at(7, { sku: 3 })]);
    const again = judgeAvailability(first.record, [at(5, { sku: 0 }), at(7, { sku: 3 })]);
    expect(again.crossings).toEqual([]);
    expect(again.record).toBe(first.record);
  });

  it('when a replay starts before the record and goes past it, then only the newer crossings are announced', () => {
    const judged = judgeAvailability(record, [at(3, { sku: 0 }), at(4, { sku: 5 }), at(9, { sku: 0 })]);
    expect(kinds(judged)).toEqual(['out sku @9']);
  });

  it('when levels move without reaching 0, then nothing is announced and the record is kept as it is', () => {
    const judged = judgeAvailability(record, [at(5, { sku: 3, 'location:main': 3 }), at(6, { sku: 1, 'location:main': 1 })]);
    expect(judged.crossings).toEqual([]);
    expect(judged.record).toBe(record);
  });

  it('when a channel appears (registered later), then its first state is taken silently and only later rises are announced', () => {
    const judged = judgeAvailability(record, [at(5, { sku: 3, 'channel:retail': 0 }), at(6, { sku: 3, 'channel:retail': 4 })]);
    expect(kinds(judged)).toEqual(['back channel:retail @6']);
  });
});

describe('given a SKU without a record (never announced, or announced before records existed)', () => {
  it('when its first batch restocks it from 0, then the baseline (the levels before the batch) makes it back', () => {
    const judged = judgeAvailability(undefined, [at(1, { sku: 10, 'location:main': 10 })], { sku: false, 'location:main': false });
    expect(kinds(judged)).toEqual(['back sku @1', 'back location:main @1']);
  });

  it('when it was in stock before the batch, then a hold that leaves units is no announcement, and the record is made once (the rebuilt baseline is not needed again)', () => {
    const judged = judgeAvailability(undefined, [at(12, { sku: 4 })], { sku: true });
    expect(judged.crossings).toEqual([]);
    expect(judged.record).toEqual({ seq: 12, inStock: { sku: true } });
    expect(judgeAvailability(judged.record, [at(13, { sku: 2 })]).record).toBe(judged.record);
  });

  it('when a baseline is wrong (rebuilt from levels before a batch but lots after it), then only the first judgement can miss: the next rise is judged against the record', () => {
    // Retail looked out before the hold (wrongly) and is out after it: nothing, but the record says out.
    const first = judgeAvailability(undefined, [at(20, { 'channel:retail': 0 })], { 'channel:retail': false });
    expect(first.crossings).toEqual([]);
    // The hold expires; the rebuilt baseline (wrongly) says in stock before; the record is what counts.
    expect(kinds(judgeAvailability(first.record, [at(21, { 'channel:retail': 10 })], { 'channel:retail': true }))).toEqual(['back channel:retail @21']);
  });
});

describe('given a pack (positions without a sequence)', () => {
  it('when its components come back, then it is back; judged again in the same state, nothing', () => {
    const first = judgeAvailability({ seq: 0, inStock: { sku: false } }, [at(null, { sku: 2 })]);
    expect(kinds(first)).toEqual(['back sku @null']);
    expect(judgeAvailability(first.record, [at(null, { sku: 2 })]).crossings).toEqual([]);
  });
});

describe('given scope keys', () => {
  it('names the SKU, a location and a channel apart', () => {
    expect([scopeKey.sku, scopeKey.location('main'), scopeKey.channel('main')]).toEqual(['sku', 'location:main', 'channel:main']);
  });
});
