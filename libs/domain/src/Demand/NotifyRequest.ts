// Notify-me requests (DESIGN.md §10 "Demand", docs/demand-signals.md): a customer asks to be told when a
// SKU is back — for the SKU as a whole, or on one sales channel — and waits until a back-in-stock event
// of that scope wakes the request; the customers woken are told in batches. Pure.
import { absurd, Schema } from 'effect';
import { CustomerId } from '../Ids.js';
import { ChannelId } from '../Lots/Lot.js';

/** The body of POST /v1/skus/{sku}/notify-requests. `channel` left out: the SKU as a whole. */
export const NotifyRequestBody = Schema.Struct({
  customerId: CustomerId,
  channel: Schema.optionalWith(ChannelId, { exact: true }),
}).annotations({ identifier: 'NotifyRequestBody' });
export type NotifyRequestBody = typeof NotifyRequestBody.Type;

/** `waiting` until a back-in-stock event of its scope wakes it, then `notified` for good. */
export const NotifyRequestStatus = Schema.Literal('waiting', 'notified');
export type NotifyRequestStatus = typeof NotifyRequestStatus.Type;

/** Customers per notification at most: a mailer takes a batch in one go, and a message stays small. */
export const MaxNotifyBatch = 500;

/** What a back-in-stock event says of its scope (the public `stock.v1.back` event's `scope` and `channel`). */
export interface BackInStockScope {
  /** Absent: an event from before scopes, about one location. */
  readonly scope?: 'sku' | 'location' | 'channel' | undefined;
  readonly channel?: ChannelId | undefined;
}

/**
 * The waiting requests a back event wakes: those for the SKU as a whole (`channel: null`), those for
 * one channel, or none.
 */
export type WokenRequests = { readonly _tag: 'None' } | { readonly _tag: 'Waiting'; readonly channel: ChannelId | null };

/**
 * A back of the whole SKU wakes the requests with no channel; a back on channel c wakes those for c; a
 * back at one location (or one from before scopes) wakes none: a customer waits for what a shop can sell
 * them, and one location's stock coming back while the SKU as a whole never ran out tells them nothing.
 */
export const wokenBy = (back: BackInStockScope): WokenRequests => {
  const scope = back.scope ?? 'location';
  switch (scope) {
    case 'sku':
      return { _tag: 'Waiting', channel: null };
    case 'channel':
      return back.channel === undefined ? { _tag: 'None' } : { _tag: 'Waiting', channel: back.channel };
    case 'location':
      return { _tag: 'None' };
    default:
      return absurd<WokenRequests>(scope);
  }
};

/** Whether a request for `channel` (null: the SKU as a whole) is one of those `woken`. */
export const isWoken = (woken: WokenRequests, channel: ChannelId | null): boolean => woken._tag === 'Waiting' && woken.channel === channel;

/**
 * The customers in notifications of at most `max` each, in the order given; none when nobody waits (no
 * notification is sent for nobody).
 */
export const notifyBatches = <A>(customers: ReadonlyArray<A>, max: number = MaxNotifyBatch): ReadonlyArray<ReadonlyArray<A>> => {
  const size = Math.max(1, Math.floor(max));
  const batches: Array<ReadonlyArray<A>> = [];
  for (let from = 0; from < customers.length; from += size) batches.push(customers.slice(from, from + size));
  return batches;
};
