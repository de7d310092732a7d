// Each API instance's in-memory copy of KV `stock` (DESIGN.md §2: reads never touch the actors),
// fed by a watch (push, not polling). Ready once the initial contents are loaded: the first entry
// with `delta === 0`, or at once for an empty bucket (TOOLCHAIN.md §5).
import { decodeStockView, type StockView } from '@larder/messaging';
import type { KV } from '@nats-io/kv';
import { Either } from 'effect';

export interface StockCache {
  readonly get: (sku: string) => StockView | undefined;
  readonly ready: () => boolean;
  readonly whenReady: Promise<void>;
  /** Milliseconds from a view's `asOf` to its arrival here, for the freshness metric. */
  readonly onUpdate: (listener: (view: StockView, lagMs: number) => void) => void;
  readonly stop: () => void;
}

export const startStockCache = async (kv: KV, onBadValue: (key: string, reason: string) => void): Promise<StockCache> => {
  const views = new Map<string, StockView>();
  const listeners: Array<(view: StockView, lagMs: number) => void> = [];
  let isReady = false;
  let markReady: () => void = () => undefined;
  const whenReady = new Promise<void>((resolve) => {
    markReady = () => {
      isReady = true;
      resolve();
    };
  });
  const status = await kv.status();
  const watch = await kv.watch();
  if (status.streamInfo.state.messages === 0) markReady();
  void (async () => {
    for await (const entry of watch) {
      if (entry.operation === 'PUT') {
        const view = decodeStockView(entry.value);
        if (Either.isRight(view)) {
          const current = views.get(entry.key);
          // Never move backwards: a view with a lower journal sequence is stale.
          if (current === undefined || current.seq < view.right.seq) {
            views.set(entry.key, view.right);
            const lag = Date.now() - view.right.asOf;
            for (const l of listeners) l(view.right, lag);
          }
        } else onBadValue(entry.key, view.left.reason);
      } else views.delete(entry.key);
      if (entry.delta === 0) markReady();
    }
  })();
  return {
    get: (sku) => views.get(sku),
    ready: () => isReady,
    whenReady,
    onUpdate: (listener) => void listeners.push(listener),
    stop: () => watch.stop(),
  };
};
