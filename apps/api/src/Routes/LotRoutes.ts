// Quarantine and release of a lot (DESIGN.md §10 "Quarantine and recall"): one command to the SKU's
// owner takes the lot's free units out of sale at every location and channel at once (or puts back
// exactly those), answered once the journal has it, with what drew on the lot: the committed lines
// that took it and the open holds that could still take it — both read from the audit ledger.
import { EpochMillis, LotCode, Sku, type QuarantineLot, type ReleaseLot } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Either, Schema } from 'effect';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { Problem } from '../Http/Problems.js';
import { defineRoute, NoQuery } from '../Http/Route.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import { readCommittedLines, readOpenHolds } from '../Lots/LotLedger.js';
import { actorOf } from '../Reservations/ActorOf.js';
import { actorTag, derivedId } from '../Reservations/DerivedIds.js';
import { inventoryUnavailable } from '../Reservations/ReservationProblems.js';
import type { StockCache } from '../Stock/StockCache.js';
import { refuseIfPack } from './CommandRoutes.js';

export interface LotRouteDeps {
  readonly gateway: CommandGateway;
  readonly catalogue: CatalogueStore;
  readonly cache: StockCache;
  readonly orm: MikroORM;
  /** Epoch ms; commands are stamped with it. */
  readonly clock?: () => number;
}

/** How long the answer waits for the stock view to show the change (it follows the journal within milliseconds). */
const ViewWaitMs = 3_000;

const LotParams = Schema.Struct({ sku: Sku, code: LotCode });
const LotRequest = Schema.Struct({
  /** Why (a supplier notice, a complaint, a lab result): kept in the ledger beside who did it. */
  reason: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)),
}).annotations({ identifier: 'LotStatusRequest' });

const LotStatusAnswer = Schema.Struct({
  sku: Schema.String,
  lot: Schema.String,
  status: Schema.Literal('quarantined', 'released'),
  /** False when the lot already was in this state (nothing was recorded now). */
  changed: Schema.Boolean,
  /** Journal sequence of the change (the SKU's version); null when nothing changed. */
  version: Schema.NullOr(Schema.Int),
  /** The lot's units on hand per location: taken out of sale (quarantine) or put back (release). */
  locations: Schema.Array(Schema.Struct({ location: Schema.String, units: Schema.Int })),
  /**
   * Holds still open at those locations whose channel's shelf life admits the lot (a commit could have
   * taken it). From the audit ledger: it lags the journal by the ledger projector's lag.
   */
  openHolds: Schema.Array(
    Schema.Struct({
      reservationId: Schema.String,
      orderId: Schema.optional(Schema.String),
      customerId: Schema.optional(Schema.String),
      qty: Schema.Int,
      location: Schema.String,
      heldAt: Schema.String,
      expiresAt: Schema.String,
      channel: Schema.optional(Schema.String),
      sellableFrom: Schema.optional(Schema.String),
    }),
  ),
  /** Every commit and sale that took units of the lot (`qty`: of this lot), oldest first. From the audit ledger, like `openHolds`. */
  committedLines: Schema.Array(
    Schema.Struct({
      reservationId: Schema.optional(Schema.String),
      orderId: Schema.optional(Schema.String),
      customerId: Schema.optional(Schema.String),
      qty: Schema.Int,
      committedAt: Schema.String,
      channel: Schema.optional(Schema.String),
      location: Schema.String,
    }),
  ),
}).annotations({ identifier: 'LotStatus' });
type LotStatusAnswer = typeof LotStatusAnswer.Type;

const responses = (what: string) => ({
  200: { description: `${what}; with the lines that drew on the lot`, schema: LotStatusAnswer },
  400: { description: 'the SKU, the lot code, the body or the Idempotency-Key is not valid' },
  401: { description: 'no valid credentials' },
  403: { description: 'the credentials lack stock:write' },
  404: { description: '`unknown-lot`: no lot with this code was ever received for this SKU' },
  409: { description: 'a request with this Idempotency-Key is still in flight, or `sku-is-a-pack`' },
  422: { description: 'the Idempotency-Key was used with another request' },
  503: { description: 'the SKU’s owner did not answer (Retry-After: 1; retry with the same Idempotency-Key: it never applies twice), or the ledger (Postgres) did not (Retry-After: 5)' },
});

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

export const lotRoutes = (deps: LotRouteDeps) => {
  const clock = deps.clock ?? Date.now;

  /** The SKU's view once it includes journal sequence `seq` (or the newest one after waiting). */
  const viewAfter = async (sku: Sku, seq: number | null): Promise<StockView | undefined> => {
    const deadline = Date.now() + ViewWaitMs;
    for (;;) {
      const view = deps.cache.get(sku);
      if (seq === null || (view !== undefined && view.seq >= seq) || Date.now() >= deadline) return view;
      await pause(10);
    }
  };

  const change = (kind: 'quarantine' | 'release') =>
    defineRoute({
      method: 'POST',
      url: `/v1/lots/:sku/:code/${kind}`,
      operationId: kind === 'quarantine' ? 'quarantineLot' : 'releaseLot',
      summary:
        kind === 'quarantine'
          ? 'Take a lot out of sale at every location and channel at once (its units stay on hand); answers what drew on it'
          : 'Put a quarantined lot back on sale: exactly the units the quarantine took out (less any written off since)',
      tags: ['lots'],
      scope: 'stock:write',
      idempotent: true,
      params: LotParams,
      query: NoQuery,
      body: LotRequest,
      responses: responses(kind === 'quarantine' ? 'quarantined (or already was)' : 'released (or was not quarantined)'),
      handler: async ({ params, body, principal, idempotencyKey }) => {
        refuseIfPack(deps.catalogue, params.sku);
        const actor = actorOf(principal);
        const envelope = { commandId: derivedId(kind, actorTag(actor), idempotencyKey), actor, now: EpochMillis.make(Math.floor(clock())), sku: params.sku, lot: params.code, note: body.reason };
        const command: QuarantineLot | ReleaseLot = kind === 'quarantine' ? { _tag: 'QuarantineLot', ...envelope } : { _tag: 'ReleaseLot', ...envelope };
        const result = await deps.gateway.send(command);
        if (Either.isLeft(result)) throw inventoryUnavailable(`the owner of ${params.sku} did not answer the ${kind} (${result.left._tag})`);
        const outcome = result.right;
        if (outcome._tag === 'Retry') throw inventoryUnavailable(`the owner of ${params.sku} could not decide the ${kind} now (${outcome.reason}: ${outcome.detail})`);
        if (outcome._tag === 'Rejected' && outcome.rejection._tag === 'UnknownLot') {
          throw new Problem({ type: 'unknown-lot', detail: `no lot ${params.code} was ever received for ${params.sku}; nothing was changed`, extensions: { sku: params.sku, lot: params.code } });
        }
        if (outcome._tag === 'Rejected') throw inventoryUnavailable(`the owner of ${params.sku} refused the ${kind} (${outcome.rejection._tag})`, 'report this: only an unknown lot is refused');

        // The events carry the units per location; the view after them says the same, at once.
        const view = await viewAfter(params.sku, outcome.seq);
        const held = (view?.locations ?? []).flatMap((l) => l.lots.filter((lot) => lot.code === params.code && lot.onHand > 0).map((lot) => ({ location: l.location, units: lot.onHand, bestBefore: lot.bestBefore })));
        const [committedLines, holds] = await orStoreUnavailable(
          'ledger (Postgres)',
          Promise.all([readCommittedLines(deps.orm, params.sku, params.code), readOpenHolds(deps.orm, params.sku, clock())]),
        );
        const where = new Set<string>(held.map((h) => h.location));
        const bestBefore = held[0]?.bestBefore;
        const answer: LotStatusAnswer = {
          sku: params.sku,
          lot: params.code,
          status: kind === 'quarantine' ? 'quarantined' : 'released',
          changed: outcome.seq !== null,
          version: outcome.seq,
          locations: held.map(({ location, units }) => ({ location, units })),
          openHolds: holds.filter((h) => where.has(h.location) && (h.sellableFrom === undefined || (bestBefore !== undefined && h.sellableFrom <= bestBefore))),
          committedLines,
        };
        return { status: 200, body: answer };
      },
    });

  return [change('quarantine'), change('release')];
};
