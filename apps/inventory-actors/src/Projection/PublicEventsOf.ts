// The public analyst events (stream STOCK, `stock.v1.<kind>.<sku>`) between the last published view
// of a SKU and its newest one, as a pure function: levels that moved, thresholds crossed, and every
// shortfall the journal recorded in between (those are facts, never coalesced away).
import { available, findDrop, type Event, type SkuState } from '@larder/domain';
import { DropPublicEvent, LotPublicEvent, StockPublicEvent, type DropEventKind, type LotEventKind, type StockEventKind, type StockView, type StockViewLocation } from '@larder/messaging';
import { levelsOf } from './AvailabilityScopes.js';
import { dropView } from './StockViewOf.js';

/** What the journal appended: its sequence and events, and the state right after (an `AppliedBatch` is one). */
export interface JournalBatch {
  readonly seq: number;
  readonly events: ReadonlyArray<Event>;
  /** For a drop's figures in its events; without it, drop events are left out. */
  readonly state?: SkuState;
}

/** A public analyst event: a SKU's levels (`stock.v1.<kind>.<sku>`), a drop's moment (`stock.v1.drop.<kind>.<dropId>.<sku>`) or a lot's (`stock.v1.lot.<kind>.<sku>`). */
export type PublicEvent = StockPublicEvent | DropPublicEvent | LotPublicEvent;

const lotKinds: Partial<Record<Event['_tag'], LotEventKind>> = { LotExpiring: 'expiring', LotRemovedFromSale: 'removed', LotQuarantined: 'quarantined', LotReleased: 'released' };

const dropKinds: Partial<Record<Event['_tag'], DropEventKind>> = { DropOpened: 'opened', DropSoldOut: 'soldout', DropClosed: 'closed' };

/** Events that are facts of their own: published each, never coalesced away. */
export const isPublicFact = (e: Event): boolean => e._tag === 'ShortfallRecorded' || dropKinds[e._tag] !== undefined || lotKinds[e._tag] !== undefined;

const emptyLocation = (location: StockViewLocation['location']): StockViewLocation => ({
  location,
  onHand: 0,
  reserved: 0,
  safetyStock: 0,
  allocated: 0,
  available: 0,
  lowStockThreshold: null,
  blocked: 0,
  lots: [],
  heldFrom: [],
});

const sameQuantities = (a: StockViewLocation, b: StockViewLocation): boolean =>
  a.onHand === b.onHand && a.reserved === b.reserved && a.safetyStock === b.safetyStock && a.available === b.available;

/**
 * `low` when one location's available falls from above its (newest) threshold to at most it and stays
 * above 0. `out` and `back` are not judged here: they are decided per batch against a durable record
 * (AvailabilityAnnouncer), so coalescing can neither hide nor repeat them.
 */
const crossings = (before: StockViewLocation, after: StockViewLocation): ReadonlyArray<StockEventKind> => {
  const threshold = after.lowStockThreshold;
  const low = threshold !== null && before.available > threshold && after.available <= threshold && after.available > 0;
  return low ? ['low'] : [];
};

const levelsEvent = (kind: StockEventKind, view: StockView, l: StockViewLocation): StockPublicEvent =>
  StockPublicEvent.make({ ...levelsOf(view, l), kind, scope: 'location', location: l.location }, { disableValidation: true });

const shortfallEvents = (batch: JournalBatch): ReadonlyArray<StockPublicEvent> =>
  batch.events.flatMap((e) => {
    if (e._tag !== 'ShortfallRecorded') return [];
    const levels = e.after;
    const event = StockPublicEvent.make(
      {
        v: 1,
        kind: 'shortfall',
        sku: e.sku,
        scope: 'location',
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

const dropEvents = (batch: JournalBatch): ReadonlyArray<DropPublicEvent> =>
  batch.events.flatMap((e) => {
    if (e._tag !== 'DropOpened' && e._tag !== 'DropSoldOut' && e._tag !== 'DropClosed') return [];
    const kind = dropKinds[e._tag];
    if (kind === undefined || batch.state === undefined) return [];
    const drop = findDrop(batch.state, e.dropId);
    if (drop === undefined) return [];
    const { opensAt, closesAt, allocation, held, committed, remaining, returned, buyers, refusedCustomers, refusedUnits } = dropView(drop);
    const event = DropPublicEvent.make(
      { v: 1, kind, dropId: e.dropId, sku: e.sku, location: e.location, opensAt, closesAt, allocation, held, committed, remaining, returned, buyers, refusedCustomers, refusedUnits, seq: batch.seq, at: e.at },
      { disableValidation: true },
    );
    return [event];
  });

const lotEvents = (batch: JournalBatch): ReadonlyArray<LotPublicEvent> =>
  batch.events.flatMap((e) => {
    if (e._tag !== 'LotExpiring' && e._tag !== 'LotRemovedFromSale' && e._tag !== 'LotQuarantined' && e._tag !== 'LotReleased') return [];
    const kind = lotKinds[e._tag];
    if (kind === undefined) return [];
    const event = LotPublicEvent.make(
      {
        v: 1,
        kind,
        sku: e.sku,
        lot: e.lot,
        bestBefore: 'bestBefore' in e ? e.bestBefore : (batch.state?.lots[e.lot]?.bestBefore ?? null),
        location: e.location,
        units: 'units' in e ? e.units : 0,
        note: 'note' in e ? e.note : null,
        seq: batch.seq,
        at: e.at,
      },
      { disableValidation: true },
    );
    return [event];
  });

/**
 * Events to publish when the view moves from `previous` (the last one published; `undefined` when
 * unknown) to `next`, given the journal batches folded in since. In order: one `shortfall` per
 * `ShortfallRecorded` (with its own batch's seq), one drop event per drop opened, sold out or closed,
 * then per location (sorted) a `changed` when its
 * quantities differ, followed by `low` when it crossed its threshold. A location
 * missing from a known `previous` had nothing (all zero); with no `previous` every location is
 * `changed` and no crossing can be told.
 */
export const publicEventsOf = (
  previous: StockView | undefined,
  next: StockView,
  batches: ReadonlyArray<JournalBatch>,
): ReadonlyArray<PublicEvent> => {
  const levels = next.locations.flatMap((after) => {
    if (previous === undefined) return [levelsEvent('changed', next, after)];
    const before = previous.locations.find((l) => l.location === after.location) ?? emptyLocation(after.location);
    if (sameQuantities(before, after)) return [];
    const kinds: ReadonlyArray<StockEventKind> = ['changed', ...crossings(before, after)];
    return kinds.map((kind) => levelsEvent(kind, next, after));
  });
  return [...batches.flatMap(shortfallEvents), ...batches.flatMap(dropEvents), ...batches.flatMap(lotEvents), ...levels];
};
