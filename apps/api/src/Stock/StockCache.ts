// Each API instance's in-memory copy of KV `stock` (DESIGN.md §2: reads never touch the actors), fed
// by a watch; a view never replaces one with a higher journal sequence.
import { decodeStockView, type StockView } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { startKvWatchCache } from './KvWatchCache.js';

export interface StockCache {
  readonly get: (sku: string) => StockView | undefined;
  readonly values: () => IterableIterator<StockView>;
  /** The bucket revision of the last change seen: a stream's position (Server-Sent Events' ids). */
  readonly revision: () => number;
  readonly ready: () => boolean;
  readonly whenReady: Promise<void>;
  /** Each view kept, with milliseconds from its `asOf` to its arrival here (the freshness metric) and its bucket revision. */
  readonly onUpdate: (listener: (view: StockView, lagMs: number, revision: number) => void) => void;
  readonly stop: () => void;
}

export const startStockCache = async (kv: KV, onBadValue: (key: string, reason: string) => void): Promise<StockCache> => {
  const cache = await startKvWatchCache(kv, { decode: decodeStockView, replaces: (current, next) => next.kind === 'pack' || current.seq < next.seq, onBadValue });
  return {
    get: cache.get,
    values: cache.values,
    revision: cache.revision,
    ready: cache.ready,
    whenReady: cache.whenReady,
    onUpdate: (listener) => cache.onUpdate((view, revision) => listener(view, Date.now() - view.asOf, revision)),
    stop: cache.stop,
  };
};
