// Cleanup after a test file: deletes every Redis key under its prefix, walking the keyspace with SCAN
// (never KEYS, which blocks the server) and unlinking each batch. Returns how many keys went.
// Pass a client without `keyPrefix`: ioredis would prefix the UNLINKed names a second time.
import type { Redis } from 'ioredis';

const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

export const deleteRedisKeys = async (redis: Redis, prefix: string): Promise<number> => {
  if (prefix.length === 0) throw new Error('refusing to delete Redis keys for an empty prefix');
  let deleted = 0;
  const stream = redis.scanStream({ match: `${escapeGlob(prefix)}*`, count: 500 });
  for await (const batch of stream) {
    const keys: ReadonlyArray<unknown> = Array.isArray(batch) ? batch : [];
    const names = keys.filter((k): k is string => typeof k === 'string');
    if (names.length > 0) deleted += await redis.unlink(...names);
  }
  return deleted;
};
