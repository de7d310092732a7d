// The ledger projection's pure fold: one journal batch (its sequence and events) → one ledger row per event,
// keyed (seq, idx). The meta every event carries becomes columns, its qty / delta / shortfall `quantity`,
// and every other field (reservationId, orderId, expiresAt, …) goes to `details` as the journal holds it.
import type { Event } from '@larder/domain';
import type { EventBatch } from '@larder/messaging';
import type { LedgerRow } from '@larder/persistence';

const metaFields: ReadonlySet<string> = new Set([
  '_tag', 'commandId', 'actor', 'at', 'sku', 'location', 'reason', 'reference', 'before', 'after',
]);

interface Measure {
  /** The event field the quantity came from, left out of `details`. */
  readonly field: 'qty' | 'delta' | 'shortfall' | 'added' | 'returned' | 'difference' | 'units' | null;
  readonly quantity: number | null;
}

/** The units an event moves or counts, if it has such a field. */
const measureOf = (event: Event): Measure => {
  switch (event._tag) {
    case 'StockReserved':
    case 'ReservationCommitted':
    case 'ReservationReleased':
    case 'ReservationExpired':
    case 'SaleRecorded':
    case 'StockRestocked':
    case 'ReturnReceived':
      return { field: 'qty', quantity: event.qty };
    case 'StockAdjusted':
      return { field: 'delta', quantity: event.delta };
    case 'ShortfallRecorded':
      return { field: 'shortfall', quantity: event.shortfall };
    case 'StockCounted':
      // The units the count moved on hand by; `counted` and `expected` stay in details beside it.
      return { field: 'difference', quantity: event.difference };
    case 'DropAllocated':
      // Units moved from general stock into the drop (negative: back out of it, a lowered allocation).
      return { field: 'added', quantity: event.added };
    case 'DropWithdrawn':
    case 'DropClosed':
      return { field: 'returned', quantity: event.returned };
    case 'LotQuarantined':
    case 'LotReleased':
    case 'LotRemovedFromSale':
      // Units taken out of sale (or put back): they stay on hand.
      return { field: 'units', quantity: event.units };
    case 'LotExpiring':
    case 'ReservationExtended':
    case 'StockPolicySet':
    case 'ReservationRefused':
    case 'DropOpened':
    case 'DropSoldOut':
      return { field: null, quantity: null };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};

const detailsOf = (event: Event, quantityField: string | null): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(event).filter(([key, value]) => !metaFields.has(key) && key !== quantityField && value !== undefined),
  );

/**
 * The ledger rows of the batch appended at journal sequence `seq`, in the batch's order (`idx` is the
 * event's place in the batch). A refused hold moves nothing and is not a row: the ledger audits
 * changes of stock, and a sell-out's thousands of refusals stay in the journal only.
 */
export const ledgerRowsOf = (seq: number, batch: EventBatch): ReadonlyArray<LedgerRow> =>
  batch.events.flatMap((event, idx) => {
    if (event._tag === 'ReservationRefused') return [];
    const { field, quantity } = measureOf(event);
    return [{
      seq,
      idx,
      sku: event.sku,
      location: event.location,
      eventType: event._tag,
      commandId: event.commandId,
      actor: event.actor,
      reason: event.reason,
      reference: event.reference ?? null,
      at: event.at,
      before: event.before,
      after: event.after,
      quantity,
      details: detailsOf(event, field),
    }];
  });
