// A set of shards as ranges, the way operators write LARDER_OWNED_SHARDS: [0,1,2,3,7] → "0-3,7".
export const formatShards = (shards: ReadonlyArray<number>): string => {
  const sorted = [...new Set(shards)].sort((a, b) => a - b);
  const parts: Array<string> = [];
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i] ?? 0;
    let end = start;
    while (sorted[i + 1] === end + 1) {
      end++;
      i++;
    }
    parts.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  return parts.length === 0 ? '-' : parts.join(',');
};
