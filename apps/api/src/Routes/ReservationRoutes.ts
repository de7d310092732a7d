// Holds for a checkout (DESIGN.md §6): place one over several lines (all or none), read it from any
// instance, commit it when payment is captured, release it. The flows live in `Reservations/`; the
// records in the replicated `requests` KV bucket (ADR 0012), never in Redis.
import { EpochMillis, type DropRefusal, type ShortHold } from '@larder/domain';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { channelTermsOf } from '../Catalog/ChannelTermsOf.js';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import type { LineAnswer } from '../Reservations/Lines.js';
import { allows } from '../Auth/Principal.js';
import { Problem, problemBody, ProblemTypes } from '../Http/Problems.js';
import { dropRefusalProblem } from '../Reservations/DropRefusals.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { defineRoute, NoBody, NoParams, NoQuery, type Answer } from '../Http/Route.js';
import type { Metrics } from '../Metrics/Metrics.js';
import { actorOf } from '../Reservations/ActorOf.js';
import { commitHold } from '../Reservations/CommitHold.js';
import { placeHold, type HoldResult } from '../Reservations/PlaceHold.js';
import { inventoryUnavailable, reservationClosed, reservationNotFound } from '../Reservations/ReservationProblems.js';
import { mayActOn, visibleStatus, wasHeld, type ReservationRecord } from '../Reservations/ReservationRecord.js';
import type { RequestRecords } from '../Reservations/RequestRecords.js';
import {
  CommitAnswer,
  HeldAnswer,
  ReleaseAnswer,
  ReservationAnswer,
  ReservationParams,
  ReserveRequest,
} from '../Reservations/ReservationSchemas.js';
import { releaseHold } from '../Reservations/ReleaseHold.js';

export interface ReservationRouteDeps {
  readonly gateway: CommandGateway;
  /** Pack recipes and the locations' order. */
  readonly catalogue: CatalogueStore;
  readonly records: RequestRecords;
  readonly metrics: Metrics;
  /** How long a reservation being placed by another request makes a retry answer 409. */
  readonly inFlightMs: number;
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

const common = { tags: ['reservations'], query: NoQuery } as const;
const refusals = {
  400: { description: 'the body or the Idempotency-Key is not valid' },
  401: { description: 'no valid credentials' },
  403: { description: 'the credentials lack stock:reserve' },
  422: { description: 'the Idempotency-Key was used with another request' },
  503: { description: 'an owner did not answer in time (Retry-After: 1); retry with the same Idempotency-Key' },
} as const;

export const reservationRoutes = (deps: ReservationRouteDeps) => {
  const store = deps.records;
  const now = () => EpochMillis.make(Math.floor((deps.clock ?? Date.now)()));
  return [
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/reservations',
      operationId: 'createReservation',
      summary: 'Hold stock for a checkout: every line or none',
      scope: 'stock:reserve',
      idempotent: true,
      params: NoParams,
      body: ReserveRequest,
      responses: {
        201: { description: 'every line is held until `expiresAt`; each line with the holds it is made of (a pack: its components) and where each is held', schema: HeldAnswer },
        ...refusals,
        422: {
          description:
            'the Idempotency-Key was used with another request, `invalid-lines`: one SKU asked at two locations (itself or inside a pack), or more units of one SKU than a hold may ask, or `unknown-channel`: a channel other than `web` that is not registered; nothing was held',
        },
        409: {
          description:
            '`insufficient-stock` (`lines`: sku, requested, available — in a drop, of its allocation; on a channel, of the lots sellable there), `drop-not-open` (`opensAt`), `drop-closed`, `limit-exceeded` (`lines`: sku, requested, allowed, limitPerCustomer), `not-in-drop`, `reservation-conflict`, `reservation-closed`, or the key is in flight',
        },
      },
      answersRetries: true,
      handler: async ({ body, principal, idempotencyKey, fingerprint, request }) => {
        // Before any owner is asked: an unregistered channel holds nothing.
        const channel = channelTermsOf(deps.catalogue, body.channel);
        const result = await placeHold(
          { gateway: deps.gateway, records: store, refusal: (short, declined) => refusalAnswer(short, declined, request.url), inFlightMs: deps.inFlightMs },
          {
            actor: actorOf(principal),
            idempotencyKey,
            fingerprint,
            reservationId: body.reservationId,
            orderId: body.orderId,
            customerId: body.customerId,
            dropId: body.dropId,
            channel,
            lines: body.lines,
            ttlSeconds: body.ttlSeconds,
            now: now(),
            recipes: deps.catalogue.recipes(),
            preference: deps.catalogue.preference(),
          },
        );
        deps.metrics.reservations.inc({ outcome: outcomeLabel(result) });
        switch (result._tag) {
          case 'Held':
            return withReplay({ status: 201, body: heldAnswer(result.record) }, result.replayed);
          case 'Refused':
            return withReplay({ status: result.answer.status, body: result.answer.body, headers: { 'content-type': 'application/problem+json' } }, result.replayed);
          case 'Conflict':
            throw new Problem({ type: 'reservation-conflict', detail: `reservation ${result.reservationId} is already held with other terms`, extensions: { reservationId: result.reservationId } });
          case 'KeyReused':
            throw new Problem({ type: 'idempotency-key-reused', detail: `Idempotency-Key "${idempotencyKey}" was used with a different request` });
          case 'InFlight':
            throw new Problem({ type: 'idempotency-in-flight', detail: `the request with Idempotency-Key "${idempotencyKey}" is still being processed; retry shortly` });
          case 'Closed':
            throw reservationClosed(result.reservationId, result.status, 'place a new reservation (a new reservationId, or a new Idempotency-Key when the API picks the id)');
          case 'Invalid':
            throw new Problem({ type: 'invalid-lines', detail: `${result.detail}; nothing was held` });
          case 'Unavailable':
            request.log.warn({ reqId: request.id, detail: result.detail }, 'reservation not placed: owners or reservation records unavailable');
            throw inventoryUnavailable('the inventory owners of some lines, or the reservation records, did not answer; the reservation is not placed', 'retry with the same Idempotency-Key (a hold it may have left is then answered, or released by itself)');
        }
      },
    }),
    defineRoute({
      ...common,
      method: 'GET',
      url: '/v1/reservations/:id',
      operationId: 'getReservation',
      summary: 'A hold, its lines and its status',
      // The checkout client that placed a hold may read it back.
      scope: ['stock:read', 'stock:reserve'],
      idempotent: false,
      params: ReservationParams,
      body: NoBody,
      responses: {
        200: { description: 'the reservation', schema: ReservationAnswer },
        401: refusals[401],
        403: { description: 'the credentials lack stock:read and stock:reserve' },
        404: { description: 'unknown reservation, or (without stock:read) one another principal placed' },
      },
      handler: async ({ params, principal }) => {
        let found = await orStoreUnavailable('reservation records (NATS KV)', store.findReservation(params.id));
        // Back-office readers (stock:read) see every hold; a checkout client only its own.
        if (found === undefined || !wasHeld(found.record) || !mayActOn(found.record, principal.actor, allows(principal, 'stock:read'))) {
          throw reservationNotFound(params.id);
        }
        if (found.record.commitPending === true && found.record.state === 'held') {
          // The stored commit may have been applied since: ask again with the same command ids (a
          // no-op if it was) so the reader sees the truth, not the last thing this API heard.
          const actor = actorOf({ actor: found.record.actor, scopes: principal.scopes });
          await commitHold(deps.gateway, store, { reservationId: params.id, actor, now: now(), forAnyone: true }).catch(() => undefined);
          found = (await store.findReservation(params.id)) ?? found;
        }
        const stored = found.record;
        const answer: ReservationAnswer = {
          reservationId: stored.reservationId,
          status: visibleStatus(stored, now()),
          expiresAt: new Date(stored.expiresAt ?? stored.receivedAt).toISOString(),
          lines: lineAnswers(stored),
          ...(stored.orderId === undefined ? {} : { orderId: stored.orderId }),
          ...(stored.customerId === undefined ? {} : { customerId: stored.customerId }),
          ...(stored.dropId === undefined ? {} : { dropId: stored.dropId }),
          ...(stored.channel === undefined ? {} : { channel: stored.channel }),
          ...(stored.commitPending === undefined ? {} : { commitPending: true }),
          ...(stored.lots === undefined ? {} : { lots: stored.lots }),
        };
        return { status: 200, body: answer };
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/reservations/:id/commit',
      operationId: 'commitReservation',
      summary: 'Payment captured: deduct the held stock',
      scope: 'stock:reserve',
      idempotent: true,
      params: ReservationParams,
      body: NoBody,
      responses: {
        200: { description: 'committed', schema: CommitAnswer },
        202: { description: 'an owner did not answer: the commit is stored and applies exactly once when it is back', schema: CommitAnswer },
        ...refusals,
        404: { description: 'unknown reservation, or one another principal placed (only it, or admin, may commit it)' },
        409: { description: '`reservation-closed`: the hold expired or was released (`reservationStatus`), or the key is in flight' },
        503: { description: 'neither the owners nor JetStream took the commit (Retry-After: 1)' },
      },
      handler: async ({ params, principal }) => {
        const result = await orStoreUnavailable('reservation records (NATS KV)', commitHold(deps.gateway, store, { reservationId: params.id, actor: actorOf(principal), now: now(), forAnyone: allows(principal, 'admin') }));
        switch (result._tag) {
          case 'NotFound':
            throw reservationNotFound(params.id);
          case 'Committed':
          case 'Pending': {
            const answer: CommitAnswer = {
              reservationId: params.id,
              status: result._tag === 'Committed' ? 'committed' : 'pending',
              ...(result._tag === 'Committed' && result.lots.length > 0 ? { lots: result.lots } : {}),
            };
            return { status: result._tag === 'Committed' ? 200 : 202, body: answer };
          }
          case 'Closed':
            throw reservationClosed(params.id, result.status, 'nothing to commit', result.lines);
          case 'Unavailable':
            throw inventoryUnavailable(result.detail);
        }
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/reservations/:id/release',
      operationId: 'releaseReservation',
      summary: 'Cancel a hold (already released or expired is fine)',
      scope: 'stock:reserve',
      idempotent: true,
      params: ReservationParams,
      body: NoBody,
      responses: {
        200: { description: 'released', schema: ReleaseAnswer },
        ...refusals,
        404: { description: 'unknown reservation, or one another principal placed (only it, or admin, may release it)' },
        409: { description: '`reservation-closed`: the hold is committed (`reservationStatus`), or the key is in flight' },
      },
      handler: async ({ params, principal }) => {
        const result = await orStoreUnavailable('reservation records (NATS KV)', releaseHold(deps.gateway, store, { reservationId: params.id, actor: actorOf(principal), now: now(), forAnyone: allows(principal, 'admin') }));
        switch (result._tag) {
          case 'NotFound':
            throw reservationNotFound(params.id);
          case 'Released': {
            const answer: ReleaseAnswer = { reservationId: params.id, status: 'released' };
            return { status: 200, body: answer };
          }
          case 'Committed':
            throw reservationClosed(params.id, 'committed', 'it can no longer be released', result.lines);
          case 'Unavailable':
            throw inventoryUnavailable(`the inventory owners did not answer (${result.detail})`);
        }
      },
    }),
  ];
};

const heldAnswer = (record: ReservationRecord): HeldAnswer => ({
  reservationId: record.reservationId,
  status: 'held',
  expiresAt: new Date(record.expiresAt ?? record.receivedAt).toISOString(),
  lines: lineAnswers(record),
});

/** Each line as asked, with the holds it is made of and where each is held. */
const lineAnswers = (record: ReservationRecord): ReadonlyArray<LineAnswer> =>
  record.lines.map((line) => {
    const where = (sku: string) => record.holds.find((h) => h.sku === sku)?.location;
    const parts = line.components ?? [{ sku: line.sku, qty: line.qty }];
    return {
      sku: line.sku,
      qty: line.qty,
      ...(line.location === undefined ? {} : { location: line.location }),
      kind: line.components === undefined ? 'sku' : 'pack',
      holds: parts.map(({ sku, qty }) => {
        const location = where(sku);
        return location === undefined ? { sku, qty } : { sku, qty, location };
      }),
    };
  });

const refusalAnswer = (short: ReadonlyArray<ShortHold>, declined: ReadonlyArray<DropRefusal>, url: string) => {
  const problem = declined.length > 0 ? dropRefusalProblem(declined) : insufficientStock(short);
  return { status: ProblemTypes[problem.type].status, body: problemBody(problem, url) };
};

/** Short of stock; in a drop, short of what is left of its allocation (sold out when 0). */
const insufficientStock = (short: ReadonlyArray<ShortHold>) => {
  const dropId = short.find((l) => l.dropId !== undefined)?.dropId;
  const lines = short.map(({ sku, requested, available }) => ({ sku, requested, available }));
  const detail =
    dropId === undefined
      ? `not enough stock for ${short.map((l) => l.sku).join(', ')}; nothing was held`
      : `drop ${dropId} has ${short.map((l) => (l.available === 0 ? `sold out of ${l.sku}` : `only ${l.available} of ${l.sku} left`)).join(', ')}; nothing was held`;
  return new Problem({ type: 'insufficient-stock', detail, extensions: dropId === undefined ? { lines } : { dropId, lines } });
};

const withReplay = (answer: Answer, replayed: boolean): Answer =>
  replayed ? { ...answer, headers: { ...answer.headers, 'idempotent-replayed': 'true' } } : answer;

/** The metric label of a refusal: `insufficient`, or the drop rule that refused it (`drop_not_open`, `drop_closed`, `limit_exceeded`, `not_in_drop`). */
const refusalLabel = (answer: { readonly body: unknown }) => {
  const type = typeof answer.body === 'object' && answer.body !== null && 'type' in answer.body ? String(answer.body.type) : '';
  const word = type.slice(type.lastIndexOf(':') + 1);
  return word === 'insufficient-stock' || word === '' ? 'insufficient' : word.replaceAll('-', '_');
};

/** The metric label of an outcome: held, insufficient (or a drop rule's refusal), conflict, in_flight, closed, unavailable, or replayed (a retry's answer). */
const outcomeLabel = (result: HoldResult) => {
  if ((result._tag === 'Held' || result._tag === 'Refused') && result.replayed) return 'replayed';
  switch (result._tag) {
    case 'Held':
      return 'held';
    case 'Refused':
      return refusalLabel(result.answer);
    case 'KeyReused':
      return 'conflict';
    case 'InFlight':
      return 'in_flight';
    default:
      return result._tag.toLowerCase();
  }
};
