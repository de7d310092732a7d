// The kinds of public analyst event on `<ns>.stock.v1.<kind>.<sku>` (DESIGN.md §7, stream STOCK).
import { Schema } from 'effect';

export const StockEventKinds = ['changed', 'low', 'out', 'back', 'shortfall'] as const;

/**
 * `changed`: any change of the levels; `low`: available fell to the low-stock threshold or below;
 * `out`: available reached 0; `back`: available rose above 0 again; `shortfall`: a sale or an
 * adjustment took more units than there were.
 */
export const StockEventKind = Schema.Literal(...StockEventKinds);
export type StockEventKind = typeof StockEventKind.Type;
