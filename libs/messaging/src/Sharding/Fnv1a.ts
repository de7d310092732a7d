// 32-bit FNV-1a (Fowler–Noll–Vo), the hash behind shard placement (DESIGN.md §3).
// Changing it moves SKUs between shards: that is a data migration, never a refactor.

/** FNV-1a 32-bit offset basis. */
export const Fnv1a32OffsetBasis = 0x811c9dc5;

/** FNV-1a 32-bit prime (2^24 + 2^8 + 0x93). */
export const Fnv1a32Prime = 0x01000193;

const utf8 = new TextEncoder();

/**
 * 32-bit FNV-1a over the bytes, or over the UTF-8 bytes of a string. Returns an unsigned
 * integer in [0, 2^32). `Math.imul` keeps the multiply exact modulo 2^32.
 */
export const fnv1a32 = (input: Uint8Array | string): number => {
  const bytes = typeof input === 'string' ? utf8.encode(input) : input;
  let hash = Fnv1a32OffsetBasis;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, Fnv1a32Prime);
  }
  return hash >>> 0;
};
