// Lost demand's pure fold: one journal batch → one `lost_demand` row per location and customer named where
// holds were refused for want of stock (`ReservationRefused`, reason `insufficient_stock`, in a drop or
// not): a named customer's largest ask (a retry of the same want is not more demand), the units of holds
// naming no customer summed (row customer ''), refusals counted, timed at the first. Refusals of a drop not
// open, closed or a customer over the limit are not demand the stock failed to meet, and count nowhere here.
import type { EventBatch } from '@larder/messaging';
import type { LostDemandRow } from '@larder/persistence';

interface Tally {
  readonly location: string;
  readonly customer: string;
  readonly sku: string;
  readonly at: number;
  units: number;
  refusals: number;
}

/** The lost-demand rows of the batch appended at journal sequence `seq`, in order of first refusal. */
export const lostDemandRowsOf = (seq: number, batch: EventBatch): ReadonlyArray<LostDemandRow> => {
  const tallies = new Map<string, Tally>();
  for (const event of batch.events) {
    if (event._tag !== 'ReservationRefused' || event.reason !== 'insufficient_stock') continue;
    const customer = event.customerId ?? '';
    const key = JSON.stringify([event.location, customer]);
    const tally = tallies.get(key) ?? { location: event.location, customer, sku: event.sku, at: event.at, units: 0, refusals: 0 };
    tally.units = customer === '' ? tally.units + event.requested : Math.max(tally.units, event.requested);
    tally.refusals += 1;
    tallies.set(key, tally);
  }
  return [...tallies.values()].map((t) => ({ seq, location: t.location, customer: t.customer, sku: t.sku, at: t.at, units: t.units, refusals: t.refusals }));
};
