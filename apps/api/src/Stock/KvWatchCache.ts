// An in-memory copy of one KV bucket, fed by a watch (push, not polling): the API's read models (the
// stock projection, drop definitions) answer from it. Ready once the initial contents are loaded: the
// first entry with `delta === 0`, or at once for an empty bucket (TOOLCHAIN.md §5).
import type { KV } from '@nats-io/kv';
import { Either } from 'effect';

export interface KvWatchCache<V> {
  readonly get: (key: string) => V | undefined;
  readonly values: () => IterableIterator<V>;
  readonly ready: () => boolean;
  readonly whenReady: Promise<void>;
  /** Called with each value kept (not for stale or undecodable ones), with its revision in the bucket. */
  readonly onUpdate: (listener: (value: V, revision: number) => void) => void;
  /** The bucket revision of the last entry seen (0 before any): a point every later change comes after. */
  readonly revision: () => number;
  /** Called with each key deleted or purged. */
  readonly onRemove: (listener: (key: string) => void) => void;
  readonly stop: () => void;
}

export interface KvWatchCacheOptions<V> {
  readonly decode: (bytes: Uint8Array) => Either.Either<V, { readonly reason: string }>;
  /** Whether `next` replaces `current` (a projection never moves backwards). Default: always. */
  readonly replaces?: (current: V, next: V) => boolean;
  readonly onBadValue: (key: string, reason: string) => void;
}

export const startKvWatchCache = async <V>(kv: KV, options: KvWatchCacheOptions<V>): Promise<KvWatchCache<V>> => {
  const values = new Map<string, V>();
  const listeners: Array<(value: V, revision: number) => void> = [];
  const removals: Array<(key: string) => void> = [];
  const replaces = options.replaces ?? (() => true);
  let isReady = false;
  let lastRevision = 0;
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
      lastRevision = entry.revision;
      if (entry.operation === 'PUT') {
        const decoded = options.decode(entry.value);
        if (Either.isRight(decoded)) {
          const current = values.get(entry.key);
          if (current === undefined || replaces(current, decoded.right)) {
            values.set(entry.key, decoded.right);
            for (const l of listeners) l(decoded.right, entry.revision);
          }
        } else options.onBadValue(entry.key, decoded.left.reason);
      } else if (values.delete(entry.key)) for (const l of removals) l(entry.key);
      if (entry.delta === 0) markReady();
    }
  })();
  return {
    get: (key) => values.get(key),
    values: () => values.values(),
    ready: () => isReady,
    revision: () => lastRevision,
    whenReady,
    onUpdate: (listener) => void listeners.push(listener),
    onRemove: (listener) => void removals.push(listener),
    stop: () => watch.stop(),
  };
};
