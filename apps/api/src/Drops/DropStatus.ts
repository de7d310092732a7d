// A drop as GET /v1/drops/{dropId} answers it, live and from memory like stock reads: its definition
// (the watched KV copy) and each SKU's figures from that SKU's view (the stock cache).
import { dropStateAt, type DropState, type StockView, type StockViewDrop } from '@larder/messaging';
import { DefaultLocation } from '@larder/domain';
import { Schema } from 'effect';
import type { DropDefinition } from './DropDefinition.js';

const Units = Schema.Int;

export const DropSkuStatus = Schema.Struct({
  sku: Schema.String,
  allocation: Units,
  limitPerCustomer: Units,
  held: Units,
  committed: Units,
  remaining: Units,
  /** Units given back to general stock at the close. */
  returned: Units,
  /** ISO 8601: when the last free unit was first held. */
  soldOutAt: Schema.optional(Schema.String),
  /** Distinct customers holding or having bought units of this SKU in the drop. */
  buyers: Units,
  /** Lost demand: distinct customers refused after the sell-out (a customer retrying counts once)... */
  refusedCustomers: Units,
  /** ...and the units they asked for (each customer's largest ask). */
  refusedUnits: Units,
  /** The SKU's journal sequence these figures are at, and when it last changed. */
  version: Units,
  asOf: Schema.String,
});
export type DropSkuStatus = typeof DropSkuStatus.Type;

export const DropAnswer = Schema.Struct({
  dropId: Schema.String,
  name: Schema.String,
  state: Schema.Literal('scheduled', 'open', 'closed'),
  opensAt: Schema.String,
  closesAt: Schema.String,
  closedAt: Schema.optional(Schema.String),
  skus: Schema.Array(DropSkuStatus),
  /** Sums over the SKUs (buyers are per SKU only: one customer may buy several). */
  totals: Schema.Struct({ allocation: Units, held: Units, committed: Units, remaining: Units, returned: Units, refusedUnits: Units }),
  /** ISO 8601: when every SKU had sold out; absent until then. */
  soldOutAt: Schema.optional(Schema.String),
  /** The highest journal sequence among its SKUs' figures (only grows), and their latest change. */
  version: Units,
  asOf: Schema.String,
}).annotations({ identifier: 'Drop' });
export type DropAnswer = typeof DropAnswer.Type;

const iso = (ms: number) => new Date(ms).toISOString();

/** Figures of a SKU whose view does not show the drop yet (the change is a few milliseconds old): its allocation, nothing sold. */
const notYetSeen = (terms: DropDefinition['skus'][number], definition: DropDefinition): StockViewDrop => ({
  dropId: definition.dropId,
  location: DefaultLocation,
  opensAt: definition.opensAt,
  closesAt: definition.closesAt,
  openedAt: null,
  closedAt: null,
  limitPerCustomer: terms.limitPerCustomer,
  allocation: terms.allocation,
  held: 0,
  committed: 0,
  remaining: terms.allocation,
  returned: 0,
  soldOutAt: null,
  buyers: 0,
  refusedCustomers: 0,
  refusedUnits: 0,
});

export const dropStatus = (definition: DropDefinition, viewOf: (sku: string) => StockView | undefined, now: number): DropAnswer => {
  const rows = definition.skus.map((terms) => {
    const view = viewOf(terms.sku);
    const figures = view?.drops.find((d) => d.dropId === definition.dropId) ?? notYetSeen(terms, definition);
    return { terms, view, figures };
  });
  const closedAt: number | null = definition.closedAt ?? rows.reduce<number | null>((at, r) => (r.figures.closedAt === null ? at : Math.max(at ?? 0, r.figures.closedAt)), null);
  const state: DropState = dropStateAt({ opensAt: definition.opensAt, closesAt: definition.closesAt, closedAt }, now);
  const skus = rows.map(({ terms, view, figures }): DropSkuStatus => ({
    sku: terms.sku,
    allocation: figures.allocation,
    limitPerCustomer: figures.limitPerCustomer,
    held: figures.held,
    committed: figures.committed,
    // Past closesAt the actor's timer returns the units within a tick: none is sellable any more.
    remaining: state === 'closed' ? 0 : figures.remaining,
    returned: figures.returned,
    ...(figures.soldOutAt === null ? {} : { soldOutAt: iso(figures.soldOutAt) }),
    buyers: figures.buyers,
    refusedCustomers: figures.refusedCustomers,
    refusedUnits: figures.refusedUnits,
    version: view?.seq ?? 0,
    asOf: iso(view?.asOf ?? definition.updatedAt),
  }));
  const sum = (f: (s: DropSkuStatus) => number) => skus.reduce((t, s) => t + f(s), 0);
  const soldOut = rows.every((r) => r.figures.soldOutAt !== null) ? Math.max(...rows.map((r) => r.figures.soldOutAt ?? 0)) : null;
  return {
    dropId: definition.dropId,
    name: definition.name,
    state,
    opensAt: iso(definition.opensAt),
    closesAt: iso(definition.closesAt),
    ...(closedAt === null ? {} : { closedAt: iso(closedAt) }),
    skus,
    totals: {
      allocation: sum((s) => s.allocation),
      held: sum((s) => s.held),
      committed: sum((s) => s.committed),
      remaining: sum((s) => s.remaining),
      returned: sum((s) => s.returned),
      refusedUnits: sum((s) => s.refusedUnits),
    },
    ...(soldOut === null ? {} : { soldOutAt: iso(soldOut) }),
    version: Math.max(0, ...skus.map((s) => s.version)),
    asOf: iso(Math.max(definition.updatedAt, ...rows.map((r) => r.view?.asOf ?? 0))),
  };
};
