// The answer of GET /v1/restock-suggestions (DESIGN.md §10 "Demand"): for each SKU asked (or a page of
// the catalogue) and each of its locations, the domain's `restockSuggestion` over the daily history
// read from the ledger in one query, the stock of this instance's projection, the SKU's policy (or the
// defaults), the shelf life of its latest produced lot on the strictest channel, the poll votes, and the
// holds refused for want of stock per day (`lost_demand`, one more query), which enter the history.
import { addDays, dayOf, RestockInput, restockSuggestion, RestockSuggestion, type Sku } from '@larder/domain';
import type { StockView } from '@larder/messaging';
import { CatalogSku } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { CatalogRow } from '../Catalog/CatalogEntry.js';
import type { CatalogueStore } from '../Catalog/CatalogueStore.js';
import { pollVotesBySku } from '../Signals/PollCounts.js';
import { DayMs, demandDaysOf } from './DemandDaysOf.js';
import { readDemandLedger, type DemandLedgerRow } from './DemandLedger.js';
import { groupBySkuLocation, LostDemandSignal, lostDemandSignalOf, lostUnitsByDate, readLostDemand } from './LostDemand.js';
import { DefaultReplenishment, type ReplenishmentPolicy } from './ReplenishmentPolicy.js';
import type { NotifyRequestStore } from '../Notify/NotifyRequestStore.js';

export const RestockSuggestionItem = Schema.Struct({
  ...RestockSuggestion.fields,
  policy: Schema.Struct({
    ...RestockSuggestion.fields.policy.fields,
    /** True when the SKU has no replenishment policy of its own: lead time 14 days, service level 0.95. */
    defaulted: Schema.Boolean,
  }),
  signals: Schema.Struct({
    /** Respondents whose poll answer names the SKU, summed over polls (GET /v1/signals/polls/counts). */
    pollVotes: Schema.Int,
    /** Σ of the window's lost demand, units: the same as `lostDemand.units` (kept for existing clients). */
    lostDemandUnits: Schema.Int,
    /** Holds refused for want of stock over the window, at this location (docs/demand-signals.md). */
    lostDemand: LostDemandSignal,
    /** Customers waiting to be told the SKU is back (notify-me, any channel; the SKU's, not this location's). */
    notifyWaiting: Schema.Int,
  }),
}).annotations({ identifier: 'RestockSuggestion' });
export type RestockSuggestionItem = typeof RestockSuggestionItem.Type;

export const RestockSuggestionsAnswer = Schema.Struct({
  today: Schema.String,
  /** Days of history behind each suggestion, today the last. */
  days: Schema.Int,
  items: Schema.Array(RestockSuggestionItem),
  /** Paging the catalogue (no `sku` asked): pass as `cursor` for the next page; null on the last. */
  nextCursor: Schema.NullOr(Schema.String),
}).annotations({ identifier: 'RestockSuggestions' });
export type RestockSuggestionsAnswer = typeof RestockSuggestionsAnswer.Type;

const decodeRows = Schema.decodeUnknownSync(Schema.Array(CatalogRow));
const decodeInput = Schema.decodeSync(RestockInput);
const MaxDays = 3650;

export interface RestockSuggestionsQuery {
  /** SKUs asked; undefined: a page of the catalogue. */
  readonly skus: ReadonlyArray<Sku> | undefined;
  readonly location: string | undefined;
  readonly days: number;
  readonly limit: number;
  readonly after: Sku | undefined;
}

export interface RestockSuggestionsDeps {
  readonly orm: MikroORM;
  readonly stockOf: (sku: string) => StockView | undefined;
  readonly catalogue: CatalogueStore;
  /** Waiting notify-me requests per SKU. */
  readonly notify: NotifyRequestStore;
}

/** The catalogue rows (by SKU) and the SKUs to answer, in order, and the last SKU when a page follows. */
const skusOf = async (orm: MikroORM, query: RestockSuggestionsQuery) => {
  const em = orm.em.fork();
  if (query.skus !== undefined) {
    const skus = [...new Set(query.skus)];
    const rows = decodeRows(await em.find(CatalogSku, { sku: { $in: skus } }));
    return { skus, rows: new Map(rows.map((r) => [r.sku, r])), next: null };
  }
  const rows = decodeRows(
    await em.find(CatalogSku, query.after === undefined ? {} : { sku: { $gt: query.after } }, { orderBy: { sku: 'asc' }, limit: query.limit + 1 }),
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { skus: page.map((r) => r.sku), rows: new Map(page.map((r) => [r.sku, r])), next: rows.length > query.limit && last !== undefined ? last.sku : null };
};

/**
 * Days a unit produced now stays sellable on the strictest registered channel: of the SKU's latest lot
 * with a production date, (bestBefore − producedOn) − max(minShelfLifeDays + handlingDays); null without one.
 */
const shelfLifeDaysOf = (view: StockView | undefined, catalogue: CatalogueStore): number | null => {
  let latest: { readonly bestBefore: string; readonly producedOn: string } | undefined;
  for (const location of view?.locations ?? []) {
    for (const lot of location.lots) {
      if (lot.producedOn === null) continue;
      if (latest === undefined || lot.producedOn > latest.producedOn || (lot.producedOn === latest.producedOn && lot.bestBefore > latest.bestBefore)) {
        latest = { bestBefore: lot.bestBefore, producedOn: lot.producedOn };
      }
    }
  }
  if (latest === undefined) return null;
  const strictest = Math.max(0, ...catalogue.channels().map((c) => c.minShelfLifeDays + c.handlingDays));
  const life = Math.round((Date.parse(latest.bestBefore) - Date.parse(latest.producedOn)) / DayMs) - strictest;
  return Math.min(MaxDays, Math.max(0, life));
};

export interface RestockSuggestionsPage {
  readonly today: string;
  readonly days: number;
  readonly items: ReadonlyArray<RestockSuggestionItem>;
  /** The last SKU of this page when another follows (catalogue paging only). */
  readonly next: Sku | null;
}

export const restockSuggestions = async (deps: RestockSuggestionsDeps, query: RestockSuggestionsQuery, now: number): Promise<RestockSuggestionsPage> => {
  const today = dayOf(now);
  const from = Date.parse(addDays(today, 1 - query.days));
  // The window's days, the same for every SKU and location.
  const windowDates = new Set(Array.from({ length: query.days }, (_, i) => addDays(today, i + 1 - query.days)));
  const { skus, rows, next } = await skusOf(deps.orm, query);
  const stocked = skus.filter((sku) => deps.stockOf(sku)?.kind !== 'pack');
  const [ledger, votes, lost, notifyWaiting] = await Promise.all([
    readDemandLedger(deps.orm, { skus: stocked, location: query.location, from }),
    pollVotesBySku(deps.orm, stocked),
    readLostDemand(deps.orm, { skus: stocked, location: query.location, from }),
    deps.notify.waitingBySku(stocked),
  ]);
  const history = groupBySkuLocation(ledger);
  const lostBySku = groupBySkuLocation(lost);
  const items: Array<RestockSuggestionItem> = [];
  for (const sku of stocked) {
    const view = deps.stockOf(sku);
    const own = rows.get(sku)?.replenishment ?? null;
    const policy: ReplenishmentPolicy = own ?? DefaultReplenishment;
    const shelfLifeDays = shelfLifeDaysOf(view, deps.catalogue);
    const entries = history.get(sku) ?? new Map<string, ReadonlyArray<DemandLedgerRow>>();
    const names = new Set([...(view?.locations ?? []).map((l) => l.location), ...entries.keys()]);
    const locations = [...names].filter((l) => query.location === undefined || l === query.location).sort();
    if (locations.length === 0) locations.push(query.location ?? 'main');
    for (const location of locations) {
      const levels = view?.locations.find((l) => l.location === location);
      const lostHere = lostBySku.get(sku)?.get(location) ?? [];
      const days = demandDaysOf(entries.get(location) ?? [], { from, days: query.days, now }, lostUnitsByDate(lostHere));
      const lostSignal = lostDemandSignalOf(lostHere, windowDates);
      const suggestion = restockSuggestion(
        decodeInput({
          sku,
          location,
          today,
          days,
          onHand: Math.max(0, levels?.onHand ?? 0),
          // Units ring-fenced for drops are not free to sell outside them: kept out of the cover.
          reserved: (levels?.reserved ?? 0) + (levels?.allocated ?? 0),
          leadTimeDays: policy.leadTimeDays,
          serviceLevel: policy.serviceLevel,
          ...(policy.reviewDays === undefined ? {} : { reviewDays: policy.reviewDays }),
          ...(shelfLifeDays === null ? {} : { shelfLifeDays }),
        }),
      );
      items.push({
        ...suggestion,
        policy: { ...suggestion.policy, defaulted: own === null },
        signals: {
          pollVotes: votes.get(sku) ?? 0,
          lostDemandUnits: lostSignal.units,
          lostDemand: lostSignal,
          notifyWaiting: notifyWaiting.get(sku) ?? 0,
        },
      });
    }
  }
  return { today, days: query.days, items, next };
};
