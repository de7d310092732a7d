// The public event types a webhook subscribes to (DESIGN.md §10 "Back office and the shop"): the STOCK
// stream's subjects without namespace, SKU or drop id, e.g. `stock.v1.low`, `stock.v1.drop.soldout`.
import { Schema } from 'effect';
import { DropEventKinds } from '../Codec/DropPublicEvent.js';
import { LotEventKinds } from '../Codec/LotPublicEvent.js';
import { NotifyEventKind } from '../Codec/NotifyPublicEvent.js';
import type { Names } from './Names.js';
import { StockEventKinds } from './StockEventKind.js';

export const PublicEventTypes = [
  ...StockEventKinds.map((kind) => `stock.v1.${kind}` as const),
  ...DropEventKinds.map((kind) => `stock.v1.drop.${kind}` as const),
  ...LotEventKinds.map((kind) => `stock.v1.lot.${kind}` as const),
  // Customers to tell that a SKU is back (notify-me), published by the API on `stock.v1.notify.<sku>`.
  `stock.v1.${NotifyEventKind}` as const,
];
export const PublicEventType = Schema.Literal(...PublicEventTypes);
export type PublicEventType = typeof PublicEventType.Type;

const isPublicEventType = Schema.is(PublicEventType);

/**
 * The one filter subject of a consumer that sees every type in `types` (nats-server 2.9 has no
 * multi-filter consumers): the type's own subjects when there is one type, every drop event when all
 * are drop events, else the whole STOCK stream; `publicEventTypeOf` then skips what was not asked for.
 */
export const publicEventFilter = (names: Names, types: ReadonlyArray<PublicEventType>): string => {
  const distinct = [...new Set(types)];
  const root = `${names.namespace}.stock.v1`;
  const only = distinct.length === 1 ? distinct[0] : undefined;
  if (only !== undefined) return `${names.namespace}.${only}.>`;
  if (distinct.length > 0 && distinct.every((t) => t.startsWith('stock.v1.drop.'))) return `${root}.drop.>`;
  if (distinct.length > 0 && distinct.every((t) => t.startsWith('stock.v1.lot.'))) return `${root}.lot.>`;
  return `${root}.>`;
};

/** `<ns>.stock.v1.low.<sku>` → `stock.v1.low`; `<ns>.stock.v1.drop.opened.<dropId>.<sku>` → `stock.v1.drop.opened`; `<ns>.stock.v1.lot.expiring.<sku>` → `stock.v1.lot.expiring`. */
export const publicEventTypeOf = (names: Names, subject: string): PublicEventType | undefined => {
  const prefix = `${names.namespace}.`;
  if (!subject.startsWith(prefix)) return undefined;
  const tokens = subject.slice(prefix.length).split('.');
  const type = tokens[2] === 'drop' || tokens[2] === 'lot' ? tokens.slice(0, 4).join('.') : tokens.slice(0, 3).join('.');
  return isPublicEventType(type) ? type : undefined;
};
