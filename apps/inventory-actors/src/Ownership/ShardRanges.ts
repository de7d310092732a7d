// Shard numbers as a person reads them in a log line: `0–31`, `1, 3, 5–7` instead of 32 lines.

/** Sorted, deduplicated shards as runs: `[0,1,2,5,7,8]` → `0–2, 5, 7–8`; `none` when empty. */
export const shardRanges = (shards: Iterable<number>): string => {
  const sorted = [...new Set(shards)].sort((a, b) => a - b);
  const runs: Array<string> = [];
  let start = sorted[0];
  let end = start;
  for (const shard of sorted.slice(1)) {
    if (end !== undefined && shard === end + 1) {
      end = shard;
      continue;
    }
    runs.push(start === end ? `${start}` : `${start}–${end}`);
    start = shard;
    end = shard;
  }
  if (start !== undefined) runs.push(start === end ? `${start}` : `${start}–${end}`);
  return runs.length === 0 ? 'none' : runs.join(', ');
};
