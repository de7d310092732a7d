// Stock changes that need no answer now (DESIGN.md §2): completed orders, restocks, adjustments and
// returns, stored on INV_CMD and answered 202 once JetStream has them. Command ids are derived from
// the caller and the order id or Idempotency-Key, so a retry is deduplicated (Nats-Msg-Id, then the actor).
import {
  AdjustReason,
  EpochMillis,
  Delta,
  LocationId,
  OrderId,
  Quantity,
  Reference,
  Sku,
  type AdjustStock,
  type Command,
  type ReceiveReturn,
  type RecordSale,
  type Restock,
} from '@larder/domain';
import { checkoutDemand, describeDemandProblem } from '@larder/domain';
import { Either, Schema } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { Problem } from '../Http/Problems.js';
import { defineRoute, NoParams, NoQuery } from '../Http/Route.js';
import { actorOf } from '../Reservations/ActorOf.js';
import { enqueueAll } from '../Reservations/AskOwner.js';
import { actorTag, derivedId } from '../Reservations/DerivedIds.js';
import { Lines } from '../Reservations/Lines.js';
import { inventoryUnavailable } from '../Reservations/ReservationProblems.js';

export interface CommandRouteDeps {
  readonly gateway: CommandGateway;
  readonly catalogue: CatalogueStore;
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

const OrderRequest = Schema.Struct({ orderId: OrderId, lines: Lines }).annotations({ identifier: 'OrderRequest' });
const at = { location: Schema.optional(LocationId) };
const RestockRequest = Schema.Struct({ sku: Sku, qty: Quantity, reference: Reference, ...at }).annotations({ identifier: 'RestockRequest' });
const AdjustmentRequest = Schema.Struct({ sku: Sku, delta: Delta, reason: AdjustReason, reference: Reference, ...at }).annotations({
  identifier: 'AdjustmentRequest',
});
const ReturnRequest = Schema.Struct({ sku: Sku, qty: Quantity, orderId: OrderId, restockable: Schema.Boolean, reference: Reference, ...at }).annotations({
  identifier: 'ReturnRequest',
});

const OrderAccepted = Schema.Struct({ orderId: Schema.String, status: Schema.Literal('accepted') }).annotations({ identifier: 'OrderAccepted' });
type OrderAccepted = typeof OrderAccepted.Type;
const CommandAccepted = Schema.Struct({
  status: Schema.Literal('accepted'),
  sku: Schema.String,
  /** Also the JetStream Nats-Msg-Id; the ledger entry it causes carries it. */
  commandId: Schema.String,
}).annotations({ identifier: 'CommandAccepted' });
type CommandAccepted = typeof CommandAccepted.Type;

const responses = (accepted: typeof OrderAccepted | typeof CommandAccepted) => ({
  202: { description: 'stored on INV_CMD: it applies exactly once, in order with the SKU’s other commands', schema: accepted },
  400: { description: 'the body or the Idempotency-Key is not valid' },
  401: { description: 'no valid credentials' },
  403: { description: 'the credentials lack stock:write' },
  409: { description: 'a request with this Idempotency-Key is still in flight, or `sku-is-a-pack`: a pack has no stock of its own (change its components)' },
  422: { description: 'the Idempotency-Key was used with another request, or `invalid-lines` (an order asks one SKU at two locations)' },
  503: { description: 'JetStream did not store it (Retry-After: 1); retry with the same Idempotency-Key' },
});

const common = { tags: ['stock changes'], scope: 'stock:write', idempotent: true, params: NoParams, query: NoQuery } as const;

export const commandRoutes = (deps: CommandRouteDeps) => {
  const now = () => EpochMillis.make(Math.floor((deps.clock ?? Date.now)()));
  const store = async (commands: ReadonlyArray<Command>) => {
    if (!(await enqueueAll(deps.gateway, commands))) throw inventoryUnavailable('JetStream did not store the command');
  };
  /** One command from a single-SKU route, keyed by the caller and its Idempotency-Key. */
  const single = async (command: Command): Promise<{ status: number; body: CommandAccepted }> => {
    refuseIfPack(deps.catalogue, command.sku);
    await store([command]);
    return { status: 202, body: { status: 'accepted', sku: command.sku, commandId: command.commandId } };
  };
  return [
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/orders',
      operationId: 'recordOrder',
      summary: 'A completed order without a prior hold (may drive stock below zero: recorded as a shortfall)',
      body: OrderRequest,
      responses: responses(OrderAccepted),
      handler: async ({ body, principal }) => {
        const actor = actorOf(principal);
        const stamp = now();
        // Packs expanded, each SKU's units summed over the lines (one sale per SKU, like one hold per SKU).
        const demand = checkoutDemand(body.lines, deps.catalogue.recipes());
        if (Either.isLeft(demand)) throw new Problem({ type: 'invalid-lines', detail: `${describeDemandProblem(demand.left)}; nothing was recorded` });
        const preference = deps.catalogue.preference();
        // Scoped by caller: two storefronts may both number their orders from 1.
        const commands = demand.right.holds.map(
          (line): RecordSale => ({
            _tag: 'RecordSale',
            commandId: derivedId('sale', actorTag(actor), body.orderId, line.sku),
            actor,
            now: stamp,
            sku: line.sku,
            orderId: body.orderId,
            qty: line.qty,
            ...(line.location !== undefined ? { location: line.location } : preference.length > 0 ? { locations: preference } : {}),
          }),
        );
        await store(commands);
        const answer: OrderAccepted = { orderId: body.orderId, status: 'accepted' };
        return { status: 202, body: answer };
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/restocks',
      operationId: 'restock',
      summary: 'Stock received (lots and best-before dates come later)',
      body: RestockRequest,
      responses: responses(CommandAccepted),
      handler: async ({ body, principal, idempotencyKey }) => {
        const actor = actorOf(principal);
        const command: Restock = { _tag: 'Restock', commandId: derivedId('restock', actorTag(actor), idempotencyKey), actor, now: now(), ...body };
        return single(command);
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/adjustments',
      operationId: 'adjustStock',
      summary: 'Change on-hand stock with a reason (damaged, shrinkage, count correction, …)',
      body: AdjustmentRequest,
      responses: responses(CommandAccepted),
      handler: async ({ body, principal, idempotencyKey }) => {
        const actor = actorOf(principal);
        const command: AdjustStock = { _tag: 'AdjustStock', commandId: derivedId('adjust', actorTag(actor), idempotencyKey), actor, now: now(), ...body };
        return single(command);
      },
    }),
    defineRoute({
      ...common,
      method: 'POST',
      url: '/v1/returns',
      operationId: 'receiveReturn',
      summary: 'A returned item: back on hand when restockable, recorded either way',
      body: ReturnRequest,
      responses: responses(CommandAccepted),
      handler: async ({ body, principal, idempotencyKey }) => {
        const actor = actorOf(principal);
        const command: ReceiveReturn = { _tag: 'ReceiveReturn', commandId: derivedId('return', actorTag(actor), idempotencyKey), actor, now: now(), ...body };
        return single(command);
      },
    }),
  ];
};

/** A pack has no stock of its own: a change to its stock is a mistake the operator hears about at once. */
export const refuseIfPack = (catalogue: CatalogueStore, sku: string) => {
  const recipe = catalogue.recipe(Sku.make(sku));
  if (recipe === undefined) return;
  throw new Problem({
    type: 'sku-is-a-pack',
    detail: `${sku} is a pack of ${recipe.components.map((c) => `${c.qty} × ${c.sku}`).join(', ')}: it has no stock of its own; restock, adjust or count its components`,
  });
};
