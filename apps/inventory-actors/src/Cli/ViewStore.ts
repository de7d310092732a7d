// A store of StockViews as the rebuild sees it (KV `stock`, the Redis mirror): read what is there with
// a token, and replace it only if it is still what was read (compare-and-set), so a runner's newer
// write is never overwritten.
import type { Sku } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import type { Effect } from 'effect';
import type { Difference } from '../Audit/SkuAudit.js';
import type { CliError } from './CliErrors.js';

export interface StoredView<T> {
  /** What `replace` compares with: the stored value must not have changed since. */
  readonly token: T;
  /** The journal sequence it claims; null when there is none (absent, or it does not decode). */
  readonly seq: number | null;
  /** Set when a value is there but does not decode. */
  readonly unreadable: string | undefined;
  /** How the stored value differs from `expected` (for a value at the same sequence). */
  readonly differences: (expected: StockView) => ReadonlyArray<Difference>;
}

export interface ViewStore<T> {
  readonly name: 'kv' | 'redis';
  readonly read: (sku: Sku) => Effect.Effect<StoredView<T>, CliError>;
  /** False when the stored value changed since `token` was read (nothing written). */
  readonly replace: (sku: Sku, token: T, view: StockView) => Effect.Effect<boolean, CliError>;
}
