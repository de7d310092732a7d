// The public analyst events (stream STOCK, `stock.v1.<kind>.<sku>`) between the last published view
// of a SKU and its newest one, as a pure function: levels that moved, thresholds crossed, and every
// shortfall the journal recorded in between (those are facts, never coalesced away).
import { available, type Event } from '@larder/domain';
import { StockPublicEvent, type StockEventKind, type StockView, type StockViewLocation } from '@larder/messaging';

/** What the journal appended: its sequence and events (an `AppliedBatch` is one). */
export interface JournalBatch {
  readonly seq: number;
  readonly events: ReadonlyArray<Event>;
}

const emptyLocation = (location: StockViewLocation['location']): StockViewLocation => ({
  location,
  onHand: 0,
  reserved: 0,
  safetyStock: 0,
  available: 0,
  lowStockThreshold: null,
});

const sameQuantities = (a: StockViewLocation, b: StockViewLocation): boolean =>
  a.onHand === b.onHand && a.reserved === b.reserved && a.safetyStock === b.safetyStock && a.available === b.available;

/**
 * The threshold events of one location, judged against the newest threshold:
 * `low` when available falls from above it to at most it (and stays > 0), `out` when available
 * reaches 0 from > 0, `back` when it rises above 0 from 0.
 */
const crossings = (before: StockViewLocation, after: StockViewLocation): ReadonlyArray<StockEventKind> => {
  const threshold = after.lowStockThreshold;
  if (before.available > 0 && after.available === 0) return ['out'];
  if (before.available === 0 && after.available > 0) return ['back'];
  const low = threshold !== null && before.available > threshold && after.available <= threshold && after.available > 0;
  return low ? ['low'] : [];
};

const levelsEvent = (kind: StockEventKind, view: StockView, l: StockViewLocation): StockPublicEvent =>
  StockPublicEvent.make(
    {
      v: 1,
      kind,
      sku: view.sku,
      location: l.location,
      onHand: l.onHand,
      reserved: l.reserved,
      available: l.available,
      safetyStock: l.safetyStock,
      seq: view.seq,
      at: view.asOf,
    },
    { disableValidation: true },
  );

const shortfallEvents = (batch: JournalBatch): ReadonlyArray<StockPublicEvent> =>
  batch.events.flatMap((e) => {
    if (e._tag !== 'ShortfallRecorded') return [];
    const levels = e.after;
    const event = StockPublicEvent.make(
      {
        v: 1,
        kind: 'shortfall',
        sku: e.sku,
        location: e.location,
        onHand: levels.onHand,
        reserved: levels.reserved,
        available: available(levels),
        safetyStock: levels.safetyStock,
        seq: batch.seq,
        at: e.at,
        shortfall: e.shortfall,
      },
      { disableValidation: true },
    );
    return [event];
  });

/**
 * Events to publish when the view moves from `previous` (the last one published; `undefined` when
 * unknown) to `next`, given the journal batches folded in since. In order: one `shortfall` per
 * `ShortfallRecorded` (with its own batch's seq), then per location (sorted) a `changed` when its
 * quantities differ, followed by `low`, `out` or `back` when it crossed a threshold. A location
 * missing from a known `previous` had nothing (all zero); with no `previous` every location is
 * `changed` and no crossing can be told.
 */
export const publicEventsOf = (
  previous: StockView | undefined,
  next: StockView,
  batches: ReadonlyArray<JournalBatch>,
): ReadonlyArray<StockPublicEvent> => {
  const levels = next.locations.flatMap((after) => {
    if (previous === undefined) return [levelsEvent('changed', next, after)];
    const before = previous.locations.find((l) => l.location === after.location) ?? emptyLocation(after.location);
    if (sameQuantities(before, after)) return [];
    const kinds: ReadonlyArray<StockEventKind> = ['changed', ...crossings(before, after)];
    return kinds.map((kind) => levelsEvent(kind, next, after));
  });
  return [...batches.flatMap(shortfallEvents), ...levels];
};
