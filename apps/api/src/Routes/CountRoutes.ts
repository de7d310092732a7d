// Stocktake (DESIGN.md §10): `POST /v1/counts` sends the absolute count to the SKU's owner, which turns it
// into the difference from its own on-hand at the moment it decides — never a read-then-write here, so
// units held or sold while the count was taken stay counted. Answered once the journal has it, with what
// was counted, what the actor expected and the difference (the ledger entry says the same).
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { refuseIfPack } from './CommandRoutes.js';
import { DefaultLocation, EpochMillis, LocationId, Reference, Sku, Units, type CountStock, LotCode } from '@larder/domain';
import { Either, Schema } from 'effect';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { Problem } from '../Http/Problems.js';
import { defineRoute, NoParams, NoQuery } from '../Http/Route.js';
import { actorOf } from '../Reservations/ActorOf.js';
import { actorTag, derivedId } from '../Reservations/DerivedIds.js';
import { inventoryUnavailable } from '../Reservations/ReservationProblems.js';

export interface CountRouteDeps {
  readonly gateway: CommandGateway;
  readonly catalogue: CatalogueStore;
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

const CountRequest = Schema.Struct({
  sku: Sku,
  location: Schema.optional(LocationId),
  /** Units physically found (≥ 0). */
  counted: Units,
  /** The count sheet, cycle-count id or note the ledger keeps with it. */
  reference: Reference,
  /**
   * Optional: the on-hand a stock read showed when counting began. When the owner holds another (a sale
   * or restock was recorded meanwhile), the count is refused with 409 count-stale and nothing changes.
   */
  expectedOnHand: Schema.optional(Schema.Int),
  /** Count one lot at the location: its units become `counted`, on hand moves by the difference, `expectedOnHand` is the lot's. */
  lot: Schema.optional(LotCode),
}).annotations({ identifier: 'CountRequest' });

const CountAnswer = Schema.Struct({
  sku: Schema.String,
  location: Schema.String,
  commandId: Schema.String,
  counted: Schema.Int,
  /** On hand as the actor held it when it decided; null when this count was applied before (a retry). */
  expected: Schema.NullOr(Schema.Int),
  /** counted − expected: the units found (+) or missing (−); null for a retry. */
  difference: Schema.NullOr(Schema.Int),
  onHand: Schema.Int,
  reserved: Schema.Int,
  available: Schema.Int,
  /** Journal sequence of the count (the SKU's version); null when it was applied before. */
  version: Schema.NullOr(Schema.Int),
  /** True when this count had already been applied: it moved nothing now. */
  duplicate: Schema.Boolean,
}).annotations({ identifier: 'CountAnswer' });
type CountAnswer = typeof CountAnswer.Type;

export const countRoutes = (deps: CountRouteDeps) => {
  const now = () => EpochMillis.make(Math.floor((deps.clock ?? Date.now)()));
  return [
    defineRoute({
      tags: ['stock changes'],
      method: 'POST',
      url: '/v1/counts',
      operationId: 'countStock',
      summary: 'A stocktake: the units counted at a location; the owner turns it into the difference from its on-hand as it decides',
      scope: 'stock:write',
      idempotent: true,
      params: NoParams,
      query: NoQuery,
      body: CountRequest,
      responses: {
        200: { description: 'applied: on hand is now `counted`; holds are untouched', schema: CountAnswer },
        400: { description: 'the body or the Idempotency-Key is not valid' },
        401: { description: 'no valid credentials' },
        403: { description: 'the credentials lack stock:write' },
        409: {
          description:
            '`count-stale` (`expectedOnHand` was given and on hand moved since: `onHand` says what it is now; recount or send without it), or a request with this Idempotency-Key is still in flight',
        },
        422: { description: 'the Idempotency-Key was used with another request' },
        503: { description: 'the SKU’s owner did not answer (Retry-After: 1); retry with the same Idempotency-Key: it never applies twice' },
      },
      handler: async ({ body, principal, idempotencyKey }) => {
        refuseIfPack(deps.catalogue, body.sku);
        const actor = actorOf(principal);
        const command: CountStock = { _tag: 'CountStock', commandId: derivedId('count', actorTag(actor), idempotencyKey), actor, now: now(), ...body };
        const result = await deps.gateway.send(command);
        if (Either.isLeft(result)) throw inventoryUnavailable(`the owner of ${body.sku} did not answer the count (${result.left._tag})`);
        const outcome = result.right;
        if (outcome._tag === 'Retry') throw inventoryUnavailable(`the owner of ${body.sku} could not decide the count now (${outcome.reason}: ${outcome.detail})`);
        if (outcome._tag === 'Rejected' && outcome.rejection._tag === 'CountStale') {
          const { expectedOnHand, onHand } = outcome.rejection;
          throw new Problem({
            type: 'count-stale',
            detail: `on hand of ${body.sku} at ${outcome.rejection.location} is ${onHand}, not the ${expectedOnHand} this count expected: a sale, restock or adjustment was recorded since the count began; nothing was changed (recount, or send the count without expectedOnHand to apply it as it is)`,
            extensions: { expectedOnHand, onHand },
          });
        }
        if (outcome._tag === 'Rejected' && outcome.rejection._tag === 'UnknownLot') {
          throw new Problem({ type: 'unknown-lot', detail: `no lot ${outcome.rejection.lot} was ever received for ${body.sku}: nothing was changed (count the location without lot, or restock the lot first)` });
        }
        if (outcome._tag === 'Rejected') throw inventoryUnavailable(`the owner of ${body.sku} refused the count (${outcome.rejection._tag})`, 'report this: a count is never refused');
        const answer: CountAnswer = {
          sku: body.sku,
          location: body.location ?? DefaultLocation,
          commandId: command.commandId,
          counted: body.counted,
          expected: outcome.count?.expected ?? null,
          difference: outcome.count?.difference ?? null,
          onHand: outcome.levels.onHand,
          reserved: outcome.levels.reserved,
          available: outcome.levels.available,
          version: outcome.seq,
          duplicate: outcome.count === undefined,
        };
        return { status: 200, body: answer };
      },
    }),
  ];
};
