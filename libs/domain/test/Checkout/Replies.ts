// What owners answer, as the checkout specs write it: SKUs, the reservation id, and LineReply builders.
import { Quantity, ReservationId, Sku, type HoldReply, type LineReply, type Rejection, type ReservationStatus } from '../../src/index.js';
import { after } from '../Fixtures.js';

export const A = Sku.make('A');
export const B = Sku.make('B');
export const C = Sku.make('C');
export const D = Sku.make('D');
export const reservationId = ReservationId.make('chk-1');

/** The owner accepted; its hold is now `status` until `expiresAt` seconds after t0; `fresh`: this command changed it. */
export const accepted = (status: ReservationStatus, o: { readonly fresh?: boolean; readonly expiresAt?: number } = {}): LineReply => ({
  _tag: 'Accepted',
  fresh: o.fresh ?? true,
  hold: { status, qty: Quantity.make(2), expiresAt: after(o.expiresAt ?? 900) },
});
export const rejected = (rejection: Rejection): LineReply => ({ _tag: 'Rejected', rejection });
export const unanswered = (why = 'timed out'): LineReply => ({ _tag: 'Unanswered', why });
export const at = (sku: Sku, reply: LineReply): HoldReply => ({ sku, reply });
