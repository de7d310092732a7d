// The rule of a drop change across its SKUs (DESIGN.md §10: an allocation is taken atomically, or
// not at all): given what each SKU's owner answered to its AllocateDrop, the change stands only if
// every SKU took it; otherwise every SKU that took it is put back as it was. Pure: the shell carries
// the messages.
import type { Sku } from '../Ids.js';
import type { HoldReply, LineReply } from '../Checkout/LineReply.js';
import type { Rejection } from '../Rejections.js';

/** A SKU short of available stock for the units the change adds. */
export interface ShortAllocation {
  readonly sku: Sku;
  readonly requested: number;
  readonly available: number;
}

export type DropChangeDecision =
  /** Every SKU took the change. */
  | { readonly _tag: 'Applied' }
  /** Some SKU refused it (`short` of stock, or `refused` by the drop's state): put `revert` back. */
  | {
      readonly _tag: 'Refused';
      readonly short: ReadonlyArray<ShortAllocation>;
      readonly refused: ReadonlyArray<Rejection>;
      readonly revert: ReadonlyArray<Sku>;
    }
  /** Some owner did not answer (it may have applied it): put back every SKU that took it or may have. */
  | { readonly _tag: 'Undecided'; readonly why: ReadonlyArray<string>; readonly revert: ReadonlyArray<Sku> };

const took = (reply: LineReply): boolean => reply._tag === 'Accepted';

export const decideDropChange = (replies: ReadonlyArray<HoldReply>): DropChangeDecision => {
  const unanswered = replies.flatMap(({ sku, reply }) => (reply._tag === 'Unanswered' ? [`${sku}: ${reply.why}`] : []));
  const rejected = replies.flatMap(({ sku, reply }) => (reply._tag === 'Rejected' ? [{ sku, rejection: reply.rejection }] : []));
  if (unanswered.length === 0 && rejected.length === 0) return { _tag: 'Applied' };
  const mayHaveTaken = replies.flatMap(({ sku, reply }) => (took(reply) || reply._tag === 'Unanswered' ? [sku] : []));
  if (unanswered.length > 0) return { _tag: 'Undecided', why: unanswered, revert: mayHaveTaken };
  const short: Array<ShortAllocation> = [];
  const refused: Array<Rejection> = [];
  for (const { sku, rejection } of rejected) {
    switch (rejection._tag) {
      case 'InsufficientStock':
        short.push({ sku, requested: rejection.requested, available: rejection.available });
        break;
      default:
        refused.push(rejection);
    }
  }
  return { _tag: 'Refused', short, refused, revert: replies.flatMap(({ sku, reply }) => (took(reply) ? [sku] : [])) };
};
