// Specification of drops (DESIGN.md §10): an allocation ring-fenced from available stock, holds from
// it only while the drop is open and within each customer's limit, lost demand after the sell-out,
// and the unsold units back to general stock in one event at the close.
import { describe, expect, it } from '@effect/vitest';
import { HashMap } from 'effect';
import {
  available,
  buyersOf,
  CommandId,
  CustomerId,
  countOf,
  decide,
  DropId,
  findDrop,
  positionAt,
  remainingOf,
  type Command,
  type DropPosition,
  type SkuState,
} from '../../src/index.js';
import { commit, eventsOf, expire, given, main, release, reserve, restocked, sku } from '../Fixtures.js';
import { alice, allocate, bob, close, drop, holdIn, opensAt, play, playAll, recordedRefusal } from './DropFixtures.js';

const stocked = (units: number) => given(restocked(units));
const dropOf = (state: SkuState): DropPosition => {
  const found = findDrop(state, drop);
  if (found === undefined) throw new Error('the drop is not there');
  return found;
};
const at = (state: SkuState) => positionAt(state, main);
const hold = (reservationId: string, o: Parameters<typeof holdIn>[0] = {}) => holdIn({ reservationId, ...o });
const releaseOf = (reservationId: string, atSeconds: number): Command => ({
  ...release({ at: atSeconds, commandId: `release-${reservationId}` }),
  reservationId: hold(reservationId).reservationId,
});

describe('given 20 units on hand', () => {
  const state = stocked(20);

  it('ring-fences an allocation from available stock: available 20 → 10, allocated 10, on hand unchanged', () => {
    const { events, state: next } = play(state, allocate({ allocation: 10 }));
    expect(events.map((e) => e._tag)).toStrictEqual(['DropAllocated']);
    expect(events[0]?.before).toStrictEqual({ onHand: 20, reserved: 0, safetyStock: 0 });
    expect(events[0]?.after).toStrictEqual({ onHand: 20, reserved: 0, safetyStock: 0, allocated: 10 });
    expect(available(at(next))).toBe(10);
    expect(remainingOf(dropOf(next))).toBe(10);
  });

  it('refuses an allocation beyond available stock with InsufficientStock and takes nothing', () => {
    const { rejection, state: next } = play(state, allocate({ allocation: 21 }));
    expect(rejection).toStrictEqual({ _tag: 'InsufficientStock', sku, location: main, requested: 21, available: 20, dropId: drop });
    expect(findDrop(next, drop)).toBeUndefined();
  });

  it('refuses a drop that closes before it opens', () => {
    expect(play(state, allocate({ opensAt: 60, closesAt: 60 })).rejection?._tag).toBe('DropChangeRefused');
  });
});

describe('given 20 on hand and 10 allocated to a drop', () => {
  const state = playAll(stocked(20), allocate({ allocation: 10 }));

  it('never lets a hold without the drop take allocated units: 10 held, the 11th refused', () => {
    const ten = play(state, reserve({ qty: 10, at: 70 }));
    expect(ten.events.map((e) => e._tag)).toStrictEqual(['StockReserved']);
    const eleven = play(state, reserve({ qty: 11, at: 70 }));
    expect(recordedRefusal(eleven)).toStrictEqual({ reason: 'insufficient_stock', available: 10 });
  });

  it('sending the same terms again changes nothing', () => {
    expect(eventsOf(decide(allocate({ allocation: 10 }), state))).toStrictEqual([]);
  });

  it('while scheduled, lowers the allocation and gives the units back', () => {
    const next = play(state, allocate({ allocation: 4, at: 10 })).state;
    expect(available(at(next))).toBe(16);
    expect(dropOf(next).allocation).toBe(4);
  });

  it('once open, raises the allocation from available stock and the limit, but never lowers either or moves the opening', () => {
    const open = playAll(state, hold('r-1', { at: 61 }));
    const raised = play(open, allocate({ at: 62, allocation: 15, limit: 3 }));
    expect(raised.rejection).toBeUndefined();
    expect(dropOf(raised.state).limitPerCustomer).toBe(3);
    expect(available(at(raised.state))).toBe(5);
    expect(play(open, allocate({ at: 62, allocation: 9 })).rejection?._tag).toBe('DropChangeRefused');
    expect(play(open, allocate({ at: 62, limit: 1 })).rejection?._tag).toBe('DropChangeRefused');
    expect(play(open, allocate({ at: 62, opensAt: 30 })).rejection?._tag).toBe('DropChangeRefused');
    expect(play(open, allocate({ at: 62, allocation: 40 })).rejection?._tag).toBe('InsufficientStock');
  });

  it('refuses a hold 1 ms before opensAt (recorded as drop_not_open) and holds one at opensAt, recording the opening first', () => {
    const early = play(state, hold('r-1', { atMs: 60_000 - 1 }));
    expect(recordedRefusal(early)).toStrictEqual({ reason: 'drop_not_open', available: 0 });
    const onTime = play(state, hold('r-2', { at: 60 }));
    expect(onTime.events.map((e) => e._tag)).toStrictEqual(['DropOpened', 'StockReserved']);
    expect(dropOf(onTime.state).openedAt).toBe(opensAt);
  });

  it('refuses a hold with no customer (CustomerRequired) and one in a drop the SKU is not part of (NotInDrop)', () => {
    expect(play(state, hold('r-1', { customerId: null })).rejection?._tag).toBe('CustomerRequired');
    expect(play(state, holdIn({ dropId: DropId.make('other-drop') })).rejection?._tag).toBe('NotInDrop');
  });

  it('holds up to the limit across reservations, then refuses the customer (limit_exceeded) but not another one', () => {
    const two = playAll(state, hold('r-1', { at: 61 }), hold('r-2', { at: 62 }));
    expect(countOf(dropOf(two), alice)).toBe(2);
    const third = play(two, hold('r-3', { at: 63 }));
    expect(recordedRefusal(third)).toStrictEqual({ reason: 'limit_exceeded', available: 0 });
    expect(play(two, hold('r-4', { at: 63, customerId: bob })).events.map((e) => e._tag)).toStrictEqual(['StockReserved']);
    expect(play(two, hold('r-5', { at: 63, qty: 3, customerId: bob })).events.find((e) => e._tag === 'ReservationRefused')?.reason).toBe('limit_exceeded');
  });

  it('gives a released or expired hold back to the customer and the allocation; a commit counts for good', () => {
    const two = playAll(state, hold('r-1', { at: 61, ttlSeconds: 60 }), hold('r-2', { at: 62 }));
    const released = play(two, releaseOf('r-2', 70)).state;
    expect(countOf(dropOf(released), alice)).toBe(1);
    expect(remainingOf(dropOf(released))).toBe(9);
    expect(at(released).allocated).toBe(9);
    const expired = play(two, { ...expire({ at: 121 }), reservationId: hold('r-1').reservationId }).state;
    expect(countOf(dropOf(expired), alice)).toBe(1);
    expect(remainingOf(dropOf(expired))).toBe(9);
    const bought = play(two, { ...commit({ at: 70 }), reservationId: hold('r-1').reservationId }).state;
    expect(dropOf(bought)).toMatchObject({ held: 1, committed: 1 });
    expect(countOf(dropOf(bought), alice)).toBe(2);
    expect(at(bought).onHand).toBe(19);
  });

  it('counts distinct buyers holding or having bought units', () => {
    const next = playAll(state, hold('r-1', { at: 61 }), hold('r-2', { at: 61 }), hold('r-3', { at: 61, customerId: bob }));
    expect(buyersOf(dropOf(next))).toBe(2);
  });

  it('refuses holds after closesAt (drop_closed)', () => {
    expect(recordedRefusal(play(state, hold('r-1', { at: 600 })))?.reason).toBe('drop_closed');
  });
});

describe('given a drop of 3 units, 2 per customer, open', () => {
  const state = playAll(stocked(10), allocate({ allocation: 3 }));

  it('records the sell-out once, with the hold that takes the last unit', () => {
    const { events, state: next } = play(playAll(state, hold('r-1', { qty: 2 })), hold('r-2', { customerId: bob, at: 65 }));
    expect(events.map((e) => e._tag)).toStrictEqual(['StockReserved', 'DropSoldOut']);
    expect(dropOf(next).soldOutAt).toBe(opensAt + 5_000);
  });

  it('counts lost demand after the sell-out: distinct customers once however often they retry, and the units they asked', () => {
    const soldOut = playAll(state, hold('r-1', { qty: 2 }), hold('r-2', { customerId: bob }));
    const carol = CustomerId.make('cust-carol');
    const dave = CustomerId.make('cust-dave');
    const lost = playAll(
      soldOut,
      hold('r-3', { customerId: carol, at: 70 }),
      hold('r-4', { customerId: carol, at: 71 }),
      hold('r-5', { customerId: carol, at: 72, qty: 2 }),
      hold('r-6', { customerId: dave, at: 73 }),
    );
    expect(HashMap.size(dropOf(lost).refusedCustomers)).toBe(2);
    expect(dropOf(lost).refusedUnits).toBe(3);
  });

  it('a released hold after the sell-out makes a unit available in the drop again', () => {
    const soldOut = playAll(state, hold('r-1', { qty: 2 }), hold('r-2', { customerId: bob }));
    const freed = play(soldOut, releaseOf('r-2', 70)).state;
    expect(remainingOf(dropOf(freed))).toBe(1);
    expect(play(freed, hold('r-3', { customerId: bob, at: 71 })).events.map((e) => e._tag)).toStrictEqual(['StockReserved']);
  });
});

describe('given a drop with one unit held and one sold of 10 allocated', () => {
  const state = playAll(
    stocked(20),
    allocate({ allocation: 10 }),
    hold('r-1'),
    hold('r-2', { customerId: bob }),
  );
  const sold = play(state, { ...commit({ at: 70 }), reservationId: hold('r-2').reservationId }).state;

  it('at close returns exactly the unsold allocation to general stock in one event', () => {
    const before = available(at(sold));
    const { events, state: closed } = play(sold, close({ at: 120 }));
    expect(events.map((e) => e._tag)).toStrictEqual(['DropClosed']);
    expect(events[0]?._tag === 'DropClosed' && events[0].returned).toBe(8);
    expect(available(at(closed)) - before).toBe(8);
    expect(at(closed).allocated ?? 0).toBe(0);
  });

  it('lets a hold still open finish normally: released after the close, its unit goes to general stock', () => {
    const closed = play(sold, close({ at: 120 })).state;
    const freed = play(closed, releaseOf('r-1', 130)).state;
    expect(available(at(freed)) - available(at(closed))).toBe(1);
    expect(dropOf(freed)).toMatchObject({ held: 0, committed: 1, returned: 8 });
  });

  it('the timer closes it at closesAt, not before; a second close changes nothing', () => {
    expect(play(sold, close({ at: 599, reason: 'closes_at' })).events).toStrictEqual([]);
    const closed = play(sold, close({ at: 600, reason: 'closes_at' }));
    expect(closed.events.map((e) => e._tag)).toStrictEqual(['DropClosed']);
    expect(play(closed.state, close({ at: 700 })).events).toStrictEqual([]);
    expect(play(closed.state, allocate({ at: 700, allocation: 12 })).rejection?._tag).toBe('DropAlreadyClosed');
  });
});

describe('given a drop this SKU just joined whose other SKU refused', () => {
  it('withdraws it: the allocation goes back and the drop is gone', () => {
    const state = playAll(stocked(20), allocate({ allocation: 10 }));
    const { events, state: next } = play(state, { _tag: 'WithdrawDrop', commandId: CommandId.make('withdraw-1'), actor: allocate().actor, now: allocate().now, sku, dropId: drop });
    expect(events.map((e) => e._tag)).toStrictEqual(['DropWithdrawn']);
    expect(findDrop(next, drop)).toBeUndefined();
    expect(available(at(next))).toBe(20);
  });
});
