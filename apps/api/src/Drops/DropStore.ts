// Drop definitions in KV `drops`: written by PUT and close, read from each instance's watched copy
// (reads never wait on NATS), listed by opening time.
import type { DropId } from '@larder/domain';
import type { KV } from '@nats-io/kv';
import { startKvWatchCache } from '../Stock/KvWatchCache.js';
import { decodeDefinition, encodeDefinition, type DropDefinition } from './DropDefinition.js';

export interface DropStore {
  /** From this instance's copy (the watch); a drop just written elsewhere appears within milliseconds. */
  readonly cached: (dropId: string) => DropDefinition | undefined;
  /** Every drop in this instance's copy, latest opening first. */
  readonly list: () => ReadonlyArray<DropDefinition>;
  /** Straight from KV: the definition a change starts from. */
  readonly read: (dropId: DropId) => Promise<DropDefinition | undefined>;
  readonly write: (definition: DropDefinition) => Promise<void>;
  readonly whenReady: Promise<void>;
  readonly stop: () => void;
}

export const startDropStore = async (kv: KV, onBadValue: (key: string, reason: string) => void): Promise<DropStore> => {
  const cache = await startKvWatchCache(kv, { decode: decodeDefinition, onBadValue });
  const written = new Map<string, DropDefinition>();
  const newest = (dropId: string): DropDefinition | undefined => {
    const mine = written.get(dropId);
    const seen = cache.get(dropId);
    if (mine !== undefined && (seen === undefined || seen.updatedAt < mine.updatedAt)) return mine;
    if (mine !== undefined) written.delete(dropId);
    return seen;
  };
  return {
    // What this instance wrote itself wins until the watch brings it back (read-your-writes).
    cached: newest,
    list: () =>
      [...new Set([...[...cache.values()].map((d) => d.dropId), ...written.keys()])]
        .flatMap((id) => {
          const d = newest(id);
          return d === undefined ? [] : [d];
        })
        .sort((a, b) => b.opensAt - a.opensAt || (a.dropId < b.dropId ? -1 : 1)),
    read: async (dropId) => {
      const entry = await kv.get(dropId);
      if (entry === null || entry.operation !== 'PUT') return undefined;
      const decoded = decodeDefinition(entry.value);
      if (decoded._tag === 'Left') throw new Error(`drop ${dropId}: the stored definition does not decode: ${decoded.left.reason}`);
      return decoded.right;
    },
    write: async (definition) => {
      await kv.put(definition.dropId, encodeDefinition(definition));
      written.set(definition.dropId, definition);
    },
    whenReady: cache.whenReady,
    stop: cache.stop,
  };
};
