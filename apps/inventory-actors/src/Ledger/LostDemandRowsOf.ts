// Lost demand's pure fold: one journal batch → one `lost_demand` row per location where holds were refused
// for want of stock (`ReservationRefused`, reason `insufficient_stock`, in a drop or not): units asked,
// refusals and distinct customers summed, timed at the first. Refusals of a drop not open, closed or a
// customer over the limit are not demand the stock failed to meet, and count nowhere here.
import type { EventBatch } from '@larder/messaging';
import type { LostDemandRow } from '@larder/persistence';

interface Tally {
  readonly sku: string;
  readonly at: number;
  units: number;
  refusals: number;
  readonly customers: Set<string>;
}

/** The lost-demand rows of the batch appended at journal sequence `seq`, by location in order of first refusal. */
export const lostDemandRowsOf = (seq: number, batch: EventBatch): ReadonlyArray<LostDemandRow> => {
  const byLocation = new Map<string, Tally>();
  for (const event of batch.events) {
    if (event._tag !== 'ReservationRefused' || event.reason !== 'insufficient_stock') continue;
    const tally = byLocation.get(event.location) ?? { sku: event.sku, at: event.at, units: 0, refusals: 0, customers: new Set<string>() };
    tally.units += event.requested;
    tally.refusals += 1;
    if (event.customerId !== undefined) tally.customers.add(event.customerId);
    byLocation.set(event.location, tally);
  }
  return [...byLocation].map(([location, t]) => ({ seq, location, sku: t.sku, at: t.at, units: t.units, refusals: t.refusals, customers: t.customers.size }));
};
