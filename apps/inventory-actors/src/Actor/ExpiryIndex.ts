// The holds of one SKU ordered by when they expire, so the expiry tick finds the due ones in
// O(log n) instead of scanning every open hold. Stale entries (a hold extended or closed since)
// are skipped when they come up.
import { HashMap, Number as Num, Option, RedBlackTree } from 'effect';
import type { ReservationId, SkuState } from '@larder/domain';

export type ExpiryIndex = RedBlackTree.RedBlackTree<number, ReservationId>;

export const emptyExpiryIndex = (): ExpiryIndex => RedBlackTree.empty(Num.Order);

export interface DueHold {
  readonly reservationId: ReservationId;
  readonly expiresAt: number;
}

export const indexOpenHolds = (state: SkuState): ExpiryIndex => {
  let index = emptyExpiryIndex();
  for (const [, hold] of state.open) index = RedBlackTree.insert(index, hold.expiresAt, hold.reservationId);
  return index;
};

/** Takes every entry due at `now` whose hold is still open with that expiry; the rest of the index. */
export const takeDue = (
  index: ExpiryIndex,
  state: SkuState,
  now: number,
): { readonly due: ReadonlyArray<DueHold>; readonly rest: ExpiryIndex } => {
  const due: Array<DueHold> = [];
  let rest = index;
  for (;;) {
    const first = RedBlackTree.first(rest);
    if (Option.isNone(first) || first.value[0] > now) break;
    const [expiresAt, id] = first.value;
    rest = RedBlackTree.removeFirst(rest, expiresAt);
    const open = HashMap.get(state.open, id);
    if (Option.isSome(open) && open.value.expiresAt === expiresAt) due.push({ reservationId: id, expiresAt });
  }
  return { due, rest };
};
