// The refusals the reservation routes raise, worded once: each a `Problem` of Http/Problems.ts.
import type { Sku } from '@larder/domain';
import { Problem } from '../Http/Problems.js';

export const reservationNotFound = (id: string) =>
  new Problem({ type: 'not-found', detail: `no reservation ${id} is known (or it closed more than a day ago)` });

/** 503 with Retry-After: 1; the client's retry with the same key is safe. */
export const inventoryUnavailable = (detail: string, hint = 'retry with the same Idempotency-Key') =>
  new Problem({ type: 'inventory-unavailable', detail: `${detail}; ${hint}`, retryAfter: 1 });

export const reservationClosed = (
  id: string,
  status: string,
  detail: string,
  lines: ReadonlyArray<{ readonly sku: Sku; readonly status: string }> = [],
) =>
  new Problem({
    type: 'reservation-closed',
    detail: `reservation ${id} is ${status}: ${detail}`,
    // Not `status`: that member of a problem document is the HTTP status (RFC 9457).
    extensions: { reservationId: id, reservationStatus: status, ...(lines.length === 0 ? {} : { lines }) },
  });
