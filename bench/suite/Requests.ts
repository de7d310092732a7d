// The HTTP requests the scenarios send, one builder each: Larder's routes (with the API key and a
// fresh Idempotency-Key per request) and the baselines' `GET /baseline` and `POST /reserve`.
import type { HttpRequestSpec } from './HttpLoad.js';

/** Long enough that no hold expires during a run (expiries would add appends of their own). */
export const HoldTtlSeconds = 3_600;

const json = (apiKey: string, key: string | null) => ({
  'x-api-key': apiKey,
  'content-type': 'application/json',
  ...(key === null ? {} : { 'idempotency-key': key }),
});

export const reserveRequest = (apiKey: string, sku: string, key: string): HttpRequestSpec => ({
  path: '/v1/reservations',
  method: 'POST',
  headers: json(apiKey, key),
  body: JSON.stringify({ lines: [{ sku, qty: 1 }], ttlSeconds: HoldTtlSeconds }),
});

/** A single-unit hold in a drop, counted against `customerId`'s limit there. */
export const dropReserveRequest = (apiKey: string, dropId: string, customerId: string, sku: string, key: string): HttpRequestSpec => ({
  path: '/v1/reservations',
  method: 'POST',
  headers: json(apiKey, key),
  body: JSON.stringify({ dropId, customerId, lines: [{ sku, qty: 1 }], ttlSeconds: HoldTtlSeconds }),
});

export const commitRequest = (apiKey: string, reservationId: string, key: string): HttpRequestSpec => ({
  path: `/v1/reservations/${encodeURIComponent(reservationId)}/commit`,
  method: 'POST',
  headers: json(apiKey, key),
  body: '{}',
});

export const orderRequest = (apiKey: string, orderId: string, sku: string): HttpRequestSpec => ({
  path: '/v1/orders',
  method: 'POST',
  headers: json(apiKey, `order-${orderId}`),
  body: JSON.stringify({ orderId, lines: [{ sku, qty: 1 }] }),
});

export const restockRequest = (apiKey: string, sku: string, qty: number, key: string): HttpRequestSpec => ({
  path: '/v1/restocks',
  method: 'POST',
  headers: json(apiKey, key),
  body: JSON.stringify({ sku, qty, reference: 'bench-restock-storm' }),
});

export const stockRequest = (apiKey: string, sku: string): HttpRequestSpec => ({
  path: `/v1/stock/${encodeURIComponent(sku)}`,
  method: 'GET',
  headers: { 'x-api-key': apiKey },
  body: null,
});

export const batchRequest = (apiKey: string, skus: ReadonlyArray<string>): HttpRequestSpec => ({
  path: `/v1/stock?${skus.map((s) => `sku=${encodeURIComponent(s)}`).join('&')}`,
  method: 'GET',
  headers: { 'x-api-key': apiKey },
  body: null,
});

export const bareRequest: HttpRequestSpec = { path: '/baseline', method: 'GET', headers: {}, body: null };

export const baselineReserveRequest = (sku: string): HttpRequestSpec => ({
  path: '/reserve',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ sku, qty: 1 }),
});

/** The `reservationId` of a 201 answer. */
export const reservationIdOf = (body: string | null): string | null => {
  if (body === null) return null;
  const parsed: unknown = JSON.parse(body);
  const id: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'reservationId') : undefined;
  return typeof id === 'string' ? id : null;
};

export const releaseRequest = (apiKey: string, reservationId: string, key: string): HttpRequestSpec => ({
  path: `/v1/reservations/${encodeURIComponent(reservationId)}/release`,
  method: 'POST',
  headers: json(apiKey, key),
  body: '{}',
});
