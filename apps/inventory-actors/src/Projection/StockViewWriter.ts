// What the projector needs from a store of StockViews (KV `stock`, the Redis mirror): write one,
// idempotently by `seq`, so a retry or a late duplicate never moves a SKU's view backwards.
import type { StockView } from '@larder/messaging';
import type { Effect } from 'effect';
import type { ProjectionWriteError } from './ProjectionErrors.js';

export interface StockViewWriter {
  /** Stores `view` unless the stored one has the same or a higher `seq` (then it does nothing). */
  readonly write: (view: StockView) => Effect.Effect<void, ProjectionWriteError>;
}
