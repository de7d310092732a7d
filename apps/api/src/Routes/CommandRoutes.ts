// Completed orders (DESIGN.md §2): a sale per SKU, stored on INV_CMD and answered 202 once JetStream has
// it. Command ids are derived from the caller and the order id, so a retry is deduplicated (Nats-Msg-Id,
// then the actor). Restocks, adjustments and returns are in StockChangeRoutes.ts, on the same terms.
import { ChannelId, EpochMillis, OrderId, Sku, type Command, type RecordSale } from '@larder/domain';
import { checkoutDemand, describeDemandProblem } from '@larder/domain';
import { Either, Schema } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { channelTermsOf } from '../Catalog/ChannelTermsOf.js';
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

const OrderRequest = Schema.Struct({
  orderId: OrderId,
  lines: Lines,
  /** The sales channel (default `web`): its sale takes only lots still sellable there (PUT /v1/channels/{id}). */
  channel: Schema.optional(ChannelId),
}).annotations({ identifier: 'OrderRequest' });

const OrderAccepted = Schema.Struct({ orderId: Schema.String, status: Schema.Literal('accepted') }).annotations({ identifier: 'OrderAccepted' });
type OrderAccepted = typeof OrderAccepted.Type;
export const CommandAccepted = Schema.Struct({
  status: Schema.Literal('accepted'),
  sku: Schema.String,
  /** Also the JetStream Nats-Msg-Id; the ledger entry it causes carries it. */
  commandId: Schema.String,
}).annotations({ identifier: 'CommandAccepted' });
export type CommandAccepted = typeof CommandAccepted.Type;

export const commandResponses = (accepted: typeof OrderAccepted | typeof CommandAccepted) => ({
  202: { description: 'stored on INV_CMD: it applies exactly once, in order with the SKU’s other commands', schema: accepted },
  400: { description: 'the body or the Idempotency-Key is not valid' },
  401: { description: 'no valid credentials' },
  403: { description: 'the credentials lack stock:write' },
  409: { description: 'a request with this Idempotency-Key is still in flight, or `sku-is-a-pack`: a pack has no stock of its own (change its components)' },
  422: { description: 'the Idempotency-Key was used with another request, or `invalid-lines` (an order asks one SKU at two locations)' },
  503: { description: 'JetStream did not store it (Retry-After: 1); retry with the same Idempotency-Key' },
});

export const commandCommon = { tags: ['stock changes'], scope: 'stock:write', idempotent: true, params: NoParams, query: NoQuery } as const;

/** Stores the commands on INV_CMD (503 when JetStream does not take them). */
export const storeCommands = async (gateway: CommandGateway, commands: ReadonlyArray<Command>) => {
  if (!(await enqueueAll(gateway, commands))) throw inventoryUnavailable('JetStream did not store the command');
};

export const commandRoutes = (deps: CommandRouteDeps) => {
  const now = () => EpochMillis.make(Math.floor((deps.clock ?? Date.now)()));
  const responses = commandResponses(OrderAccepted);
  return [
    defineRoute({
      ...commandCommon,
      method: 'POST',
      url: '/v1/orders',
      operationId: 'recordOrder',
      summary: 'A completed order without a prior hold (may drive stock below zero: recorded as a shortfall)',
      body: OrderRequest,
      responses: {
        ...responses,
        422: { description: `${responses[422].description}, or \`unknown-channel\` (a channel other than \`web\` that is not registered)` },
      },
      handler: async ({ body, principal }) => {
        const actor = actorOf(principal);
        const stamp = now();
        const channel = channelTermsOf(deps.catalogue, body.channel);
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
            ...(channel === undefined ? {} : { channel }),
          }),
        );
        await storeCommands(deps.gateway, commands);
        const answer: OrderAccepted = { orderId: body.orderId, status: 'accepted' };
        return { status: 202, body: answer };
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
