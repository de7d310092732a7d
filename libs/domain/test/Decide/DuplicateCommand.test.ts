// Specification of the retry rule: a command whose id the SKU has seen decides nothing, whatever the
// command and whatever the state; the memory lasts at least CommandMemoryMs of event time.
import { describe, expect, it } from '@effect/vitest';
import { CommandMemoryMs, decide } from '../../src/index.js';
import {
  adjust,
  commit,
  eventsOf,
  expire,
  extend,
  given,
  r1,
  r2,
  receiveReturn,
  recordSale,
  release,
  reserve,
  reserved,
  restock,
  restocked,
  setPolicy,
} from '../Fixtures.js';

const memorySeconds = CommandMemoryMs / 1000;

describe('given a command id "seen" already applied (a restock of 10) and a held reservation of 2', () => {
  const state = given(restocked(10, { commandId: 'seen' }), reserved(r1, 2, { ttlSeconds: 600 }));

  it.each([
    ['ReserveStock', reserve({ commandId: 'seen', reservationId: r2, qty: 1 })],
    ['ReserveStock beyond what is available', reserve({ commandId: 'seen', qty: 100 })],
    ['CommitReservation', commit({ commandId: 'seen', at: 10 })],
    ['ReleaseReservation', release({ commandId: 'seen', at: 10 })],
    ['ExtendReservation', extend({ commandId: 'seen', at: 10 })],
    ['ExpireReservation', expire({ commandId: 'seen', at: 600 })],
    ['RecordSale', recordSale({ commandId: 'seen', qty: 50 })],
    ['Restock', restock({ commandId: 'seen', qty: 10 })],
    ['AdjustStock', adjust({ commandId: 'seen', delta: -5 })],
    ['ReceiveReturn', receiveReturn({ commandId: 'seen', qty: 1 })],
    ['SetStockPolicy', setPolicy({ commandId: 'seen', safetyStock: 3 })],
  ])('decides nothing for %s under that id', (_, command) => {
    expect(eventsOf(decide(command, state))).toStrictEqual([]);
  });
});

describe('given a restock seen just under CommandMemoryMs ago, with events since', () => {
  const state = given(restocked(10, { commandId: 'seen' }), restocked(1, { at: memorySeconds / 2 }), restocked(1, { at: memorySeconds - 1 }));

  it('still decides nothing for its retry', () => {
    expect(eventsOf(decide(restock({ commandId: 'seen', qty: 10, at: memorySeconds }), state))).toStrictEqual([]);
  });
});

describe('given a restock whose id has aged out (events one, two and three memory windows later)', () => {
  const state = given(
    restocked(10, { commandId: 'old' }),
    restocked(1, { at: memorySeconds }),
    restocked(1, { at: 2 * memorySeconds }),
    restocked(1, { at: 3 * memorySeconds }),
  );

  it('has forgotten the id: the same id is decided afresh', () => {
    expect(eventsOf(decide(restock({ commandId: 'old', qty: 10, at: 3 * memorySeconds }), state))).toHaveLength(1);
  });
});
