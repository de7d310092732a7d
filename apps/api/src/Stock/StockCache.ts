// Each API instance's in-memory copy of KV `stock` (DESIGN.md §2: reads never touch the actors), fed
// by a watch; a view never replaces one with a higher journal sequence.
import { decodeStockView, type StockView } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { startKvWatchCache } from './KvWatchCache.js';

export interface StockCache {
  readonly get: (sku: string) => StockView | undefined;
  readonly ready: () => boolean;
  readonly whenReady: Promise<void>;
  /** Milliseconds from a view's `asOf` to its arrival here, for the freshness metric. */
  readonly onUpdate: (listener: (view: StockView, lagMs: number) => void) => void;
  readonly stop: () => void;
}

export const startStockCache = async (kv: KV, onBadValue: (key: string, reason: string) => void): Promise<StockCache> => {
  const cache = await startKvWatchCache(kv, { decode: decodeStockView, replaces: (current, next) => next.kind === 'pack' || current.seq < next.seq, onBadValue });
  return {
    get: cache.get,
    ready: cache.ready,
    whenReady: cache.whenReady,
    onUpdate: (listener) => cache.onUpdate((view) => listener(view, Date.now() - view.asOf)),
    stop: cache.stop,
  };
};
