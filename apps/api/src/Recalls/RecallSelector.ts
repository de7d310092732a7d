// What a recall trace is asked about (DESIGN.md §10): exactly one of a SKU's lot, a SKU's best-before
// date, or a production-date range (of one SKU or of all). Anything else is a 400 saying what to send.
import { CalendarDate, LotCode, Sku } from '@larder/domain';
import { Schema } from 'effect';
import { Problem } from '../Http/Problems.js';

export const RecallQuery = Schema.Struct({
  sku: Schema.optional(Sku),
  lot: Schema.optional(LotCode),
  bestBefore: Schema.optional(CalendarDate),
  /** Inclusive, with `producedTo`: lots produced on these days. */
  producedFrom: Schema.optional(CalendarDate),
  producedTo: Schema.optional(CalendarDate),
  /** `mock`: a recall drill — the run is recorded (GET /v1/recalls/drills). */
  mode: Schema.optional(Schema.Literal('live', 'mock')),
});
export type RecallQuery = typeof RecallQuery.Type;

export type RecallSelector =
  | { readonly by: 'lot'; readonly sku: Sku; readonly lot: LotCode }
  | { readonly by: 'bestBefore'; readonly sku: Sku; readonly bestBefore: CalendarDate }
  | { readonly by: 'produced'; readonly sku: Sku | null; readonly producedFrom: CalendarDate; readonly producedTo: CalendarDate };

export const RecallSelectorAnswer = Schema.Struct({
  by: Schema.Literal('lot', 'bestBefore', 'produced'),
  sku: Schema.NullOr(Schema.String),
  lot: Schema.optional(Schema.String),
  bestBefore: Schema.optional(Schema.String),
  producedFrom: Schema.optional(Schema.String),
  producedTo: Schema.optional(Schema.String),
}).annotations({ identifier: 'RecallSelector' });

const refuse = (detail: string) =>
  new Problem({
    type: 'invalid-request',
    detail: `${detail}; trace by exactly one of: sku + lot, sku + bestBefore, or producedFrom + producedTo (optionally with sku)`,
  });

/** The one selector the query names, or a 400. */
export const selectorOf = (query: RecallQuery): RecallSelector => {
  const { sku, lot, bestBefore, producedFrom, producedTo } = query;
  const produced = producedFrom !== undefined || producedTo !== undefined;
  const named = [lot !== undefined, bestBefore !== undefined, produced].filter(Boolean).length;
  if (named === 0) throw refuse('no selector given');
  if (named > 1) throw refuse('more than one selector given');
  if (lot !== undefined) {
    if (sku === undefined) throw refuse('a lot code is unique per SKU only: name the sku');
    return { by: 'lot', sku, lot };
  }
  if (bestBefore !== undefined) {
    if (sku === undefined) throw refuse('a best-before date needs its sku');
    return { by: 'bestBefore', sku, bestBefore };
  }
  if (producedFrom === undefined || producedTo === undefined) throw refuse('a production range needs both producedFrom and producedTo');
  if (producedFrom > producedTo) throw refuse(`producedFrom (${producedFrom}) is after producedTo (${producedTo})`);
  return { by: 'produced', sku: sku ?? null, producedFrom, producedTo };
};

export const selectorAnswer = (selector: RecallSelector): typeof RecallSelectorAnswer.Type => {
  switch (selector.by) {
    case 'lot':
      return { by: 'lot', sku: selector.sku, lot: selector.lot };
    case 'bestBefore':
      return { by: 'bestBefore', sku: selector.sku, bestBefore: selector.bestBefore };
    case 'produced':
      return { by: 'produced', sku: selector.sku, producedFrom: selector.producedFrom, producedTo: selector.producedTo };
    default:
      return selector satisfies never;
  }
};
