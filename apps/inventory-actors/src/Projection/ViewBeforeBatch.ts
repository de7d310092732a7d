// The view a SKU had just before a journal batch, read back from the batch itself (every event
// carries its location's levels before it). The projector's baseline for a SKU it has not
// published yet, so the first batch after a start still tells `low`, `out` and `back`.
import type { Event, Position, SkuState, StockLevels } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import type { AppliedBatch } from './Projector.js';
import { stockViewOf } from './StockViewOf.js';

const positionsBefore = (state: SkuState, events: ReadonlyArray<Event>): Record<string, Position> => {
  const levels = new Map<string, StockLevels>();
  const thresholds = new Map<string, number | null>();
  for (const e of events) {
    if (!levels.has(e.location)) levels.set(e.location, e.before);
    if (e._tag === 'StockPolicySet' && !thresholds.has(e.location)) thresholds.set(e.location, e.previousLowStockThreshold);
  }
  const positions: Record<string, Position> = { ...state.positions };
  for (const [location, before] of levels) {
    const lowStockThreshold = thresholds.has(location) ? (thresholds.get(location) ?? null) : (positions[location]?.lowStockThreshold ?? null);
    positions[location] = { ...before, lowStockThreshold };
  }
  return positions;
};

/** The view before `batch`; its `seq` and `asOf` are the batch's own (only its levels are meaningful). */
export const viewBeforeBatch = (batch: AppliedBatch, asOf: StockView['asOf']): StockView =>
  stockViewOf({ ...batch.state, positions: positionsBefore(batch.state, batch.events) }, batch.seq, asOf);
