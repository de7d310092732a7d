// Shard lists in log lines: consecutive shards collapse into runs, whatever the order they came in.
import { describe, expect, it } from 'vitest';
import { shardRanges } from '../../src/Ownership/ShardRanges.js';

describe('shardRanges', () => {
  it('collapses consecutive shards into runs', () => {
    expect(shardRanges(Array.from({ length: 32 }, (_, i) => i))).toBe('0–31');
    expect(shardRanges([7, 0, 1, 2, 5, 8, 2])).toBe('0–2, 5, 7–8');
  });
  it('names a single shard and the empty set', () => {
    expect(shardRanges([4])).toBe('4');
    expect(shardRanges([])).toBe('none');
  });
});
