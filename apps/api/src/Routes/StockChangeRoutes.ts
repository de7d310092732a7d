// Restocks, adjustments and returns (DESIGN.md §2, §10 "Lots and shelf life"): stored on INV_CMD and
// answered 202 once JetStream has them; a restock or return may name its lot, an adjustment the lot
// whose units changed. The owner refuses a lot code it knows with another best-before, but only its dead
// letter would say so: a code this instance's stock view already shows with another date is refused here.
import {
  AdjustReason,
  Delta,
  EpochMillis,
  LocationId,
  LotCode,
  LotInfo,
  OrderId,
  Quantity,
  Reference,
  Sku,
  type AdjustStock,
  type Command,
  type ReceiveReturn,
  type Restock,
} from '@larder/domain';
import { Schema } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { Problem } from '../Http/Problems.js';
import { defineRoute } from '../Http/Route.js';
import { actorOf } from '../Reservations/ActorOf.js';
import { actorTag, derivedId } from '../Reservations/DerivedIds.js';
import type { StockCache } from '../Stock/StockCache.js';
import { CommandAccepted, commandCommon, commandResponses, refuseIfPack, storeCommands } from './CommandRoutes.js';

export interface StockChangeRouteDeps {
  readonly gateway: CommandGateway;
  readonly catalogue: CatalogueStore;
  /** The stock views: a lot code they show with another best-before is refused before it is stored. */
  readonly cache: StockCache;
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

const at = { location: Schema.optional(LocationId) };
/** `{code, bestBefore (YYYY-MM-DD), producedOn?, establishment?}`: a code names one lot of the SKU. */
const lot = { lot: Schema.optional(LotInfo) };
const RestockRequest = Schema.Struct({ sku: Sku, qty: Quantity, reference: Reference, ...at, ...lot }).annotations({ identifier: 'RestockRequest' });
const AdjustmentRequest = Schema.Struct({
  sku: Sku,
  delta: Delta,
  reason: AdjustReason,
  reference: Reference,
  ...at,
  /** The lot whose units changed; left out: units without a lot first, then lots first-expired-first. */
  lot: Schema.optional(LotCode),
}).annotations({ identifier: 'AdjustmentRequest' });
const ReturnRequest = Schema.Struct({ sku: Sku, qty: Quantity, orderId: OrderId, restockable: Schema.Boolean, reference: Reference, ...at, ...lot }).annotations({
  identifier: 'ReturnRequest',
});

const base = commandResponses(CommandAccepted);
const withLot = {
  ...base,
  409: { description: `${base[409].description}, or \`lot-mismatch\`: the SKU already has this lot code with another bestBefore (\`bestBefore\`, \`given\`)` },
};
const adjustResponses = {
  ...base,
  202: { description: `${base[202].description}; a lot the SKU never received is refused by its owner (dead-lettered with the reason unknown_lot)`, schema: CommandAccepted },
};

/** A lot code the SKU's view shows with another best-before: the owner would refuse it (a code names one lot). */
export const refuseIfLotMismatch = (cache: StockCache, sku: Sku, given: LotInfo | undefined) => {
  if (given === undefined) return;
  const view = cache.get(sku);
  for (const location of view?.locations ?? []) {
    const known = location.lots.find((l) => l.code === given.code);
    if (known !== undefined && known.bestBefore !== given.bestBefore) {
      throw new Problem({
        type: 'lot-mismatch',
        detail: `${sku} already has lot ${given.code} best before ${known.bestBefore}, not ${given.bestBefore}: a lot code names one lot (use another code for another lot); nothing was stored`,
        extensions: { sku, lot: given.code, bestBefore: known.bestBefore, given: given.bestBefore },
      });
    }
  }
};

export const stockChangeRoutes = (deps: StockChangeRouteDeps) => {
  const now = () => EpochMillis.make(Math.floor((deps.clock ?? Date.now)()));
  /** One command from a single-SKU route, keyed by the caller and its Idempotency-Key. */
  const single = async (command: Command): Promise<{ status: number; body: CommandAccepted }> => {
    refuseIfPack(deps.catalogue, command.sku);
    await storeCommands(deps.gateway, [command]);
    return { status: 202, body: { status: 'accepted', sku: command.sku, commandId: command.commandId } };
  };
  return [
    defineRoute({
      ...commandCommon,
      method: 'POST',
      url: '/v1/restocks',
      operationId: 'restock',
      summary: 'Stock received, optionally of a lot (code, best-before, produced on, establishment)',
      body: RestockRequest,
      responses: withLot,
      handler: async ({ body, principal, idempotencyKey }) => {
        refuseIfLotMismatch(deps.cache, body.sku, body.lot);
        const actor = actorOf(principal);
        const command: Restock = { _tag: 'Restock', commandId: derivedId('restock', actorTag(actor), idempotencyKey), actor, now: now(), ...body };
        return single(command);
      },
    }),
    defineRoute({
      ...commandCommon,
      method: 'POST',
      url: '/v1/adjustments',
      operationId: 'adjustStock',
      summary: 'Change on-hand stock with a reason (damaged, shrinkage, count correction, …), optionally of one lot',
      body: AdjustmentRequest,
      responses: adjustResponses,
      handler: async ({ body, principal, idempotencyKey }) => {
        const actor = actorOf(principal);
        const command: AdjustStock = { _tag: 'AdjustStock', commandId: derivedId('adjust', actorTag(actor), idempotencyKey), actor, now: now(), ...body };
        return single(command);
      },
    }),
    defineRoute({
      ...commandCommon,
      method: 'POST',
      url: '/v1/returns',
      operationId: 'receiveReturn',
      summary: 'A returned item: back on hand (into its lot, if named) when restockable, recorded either way',
      body: ReturnRequest,
      responses: withLot,
      handler: async ({ body, principal, idempotencyKey }) => {
        refuseIfLotMismatch(deps.cache, body.sku, body.lot);
        const actor = actorOf(principal);
        const command: ReceiveReturn = { _tag: 'ReceiveReturn', commandId: derivedId('return', actorTag(actor), idempotencyKey), actor, now: now(), ...body };
        return single(command);
      },
    }),
  ];
};
