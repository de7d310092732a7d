// Every error the API can answer, in one table (STYLE.md habit 3): a stable `type` URN per error,
// its HTTP status and title. Handlers raise a `Problem`; `ProblemHandler` renders it as
// application/problem+json (RFC 9457).
import { Data } from 'effect';

export const ProblemTypes = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  'idempotency-key-required': { status: 400, title: 'An Idempotency-Key header is required on every POST' },
  unauthorized: { status: 401, title: 'Credentials are missing or not valid' },
  forbidden: { status: 403, title: 'The credentials lack the scope this route needs' },
  'not-found': { status: 404, title: 'No such resource' },
  'insufficient-stock': { status: 409, title: 'Not enough stock is available for every line' },
  'drop-not-open': { status: 409, title: 'The drop has not opened yet' },
  'drop-closed': { status: 409, title: 'The drop is closed' },
  'limit-exceeded': { status: 409, title: 'The customer would pass the drop’s limit per customer' },
  'not-in-drop': { status: 409, title: 'A line’s SKU is not part of the drop (or the drop does not exist)' },
  'drop-change-refused': { status: 409, title: 'The drop’s state does not allow this change' },
  'count-stale': { status: 409, title: 'On hand moved since the count began; nothing was changed' },
  'reservation-closed': { status: 409, title: 'The reservation is no longer held' },
  'reservation-conflict': { status: 409, title: 'The reservation id is already used with other terms' },
  'idempotency-in-flight': { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  'invalid-lines': { status: 422, title: 'The lines cannot be held as one reservation' },
  'invalid-pack': { status: 422, title: 'The pack’s recipe cannot stand' },
  'sku-is-a-pack': { status: 409, title: 'A pack has no stock of its own: change its components’ stock' },
  'pack-has-stock': { status: 409, title: 'A SKU with stock or holds of its own cannot become a pack' },
  'unknown-lot': { status: 404, title: 'No lot with this code was received for this SKU' },
  'lot-mismatch': { status: 409, title: 'This lot code is already known with another best-before date' },
  'unknown-channel': { status: 422, title: 'The sales channel is not registered (PUT /v1/channels/{id})' },
  'retention-refused': { status: 409, title: 'Records younger than their retention period cannot be deleted' },
  'idempotency-key-reused': { status: 422, title: 'This Idempotency-Key was used with a different request' },
  'inventory-unavailable': { status: 503, title: 'The inventory service did not answer in time; retry with the same Idempotency-Key' },
  overloaded: { status: 503, title: 'This API instance is saturated and sheds new writes for now; retry with the same Idempotency-Key after Retry-After' },
  'signals-not-configured': { status: 503, title: 'Poll signals are not configured on this deployment (LARDER_POLL_SIGNING_SECRET)' },
  'service-unavailable': { status: 503, title: 'A service this request depends on is unavailable; retry with the same Idempotency-Key' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemType = keyof typeof ProblemTypes;

export const problemUriPrefix = 'urn:larder:problem:';
export const problemUri = (type: ProblemType) => `${problemUriPrefix}${type}`;

/** A refusal the client can act on; `extensions` become members of the problem document. */
export class Problem extends Data.TaggedError('Problem')<{
  readonly type: ProblemType;
  readonly detail: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Seconds, for 503 answers. */
  readonly retryAfter?: number;
}> {}

export const problemBody = (p: Problem, instance: string) => ({
  type: problemUri(p.type),
  title: ProblemTypes[p.type].title,
  status: ProblemTypes[p.type].status,
  detail: p.detail,
  instance,
  ...p.extensions,
});
