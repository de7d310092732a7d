// Specification of locations (DESIGN.md §10 "Locations"): a line without `location` is held at the
// highest-priority location that can fill it whole — never split, never refused while one location
// could fill it — and a line that names one is held there or nowhere.
import { describe, expect, it } from '@effect/vitest';
import { Either, Option } from 'effect';
import { candidatesOf, chooseLocation, CommandId, decide, findReservation, fold, LocationId, priorityOrder, type Event } from '../../src/index.js';
import { cold, eventsOf, given, main, r1, r2, recordSale, refusalOf, reserve, restocked } from '../Fixtures.js';

const tpl = LocationId.make('3pl');
const store = LocationId.make('storeroom');

const reserveFrom = (qty: number, locations: ReadonlyArray<LocationId>) => ({ ...reserve({ qty }), locations });
const locationOf = (events: ReadonlyArray<Event>) => events[0]?.location;

describe('given the registry: storeroom priority 10, 3pl priority 5, main priority 5', () => {
  it('when ordered, then highest priority first and ties by id', () => {
    expect(priorityOrder([{ location: main, priority: 5 }, { location: store, priority: 10 }, { location: tpl, priority: 5 }])).toStrictEqual([store, tpl, main]);
  });
});

describe('given stock only at 3pl (8 units) and a registry that prefers main', () => {
  const state = given(restocked(8, { location: tpl }));
  const order = [main, tpl];

  it('when a line of 5 names no location, then it is held at 3pl', () => {
    const events = eventsOf(decide(reserveFrom(5, order), state));
    expect(events.map((e) => e._tag)).toStrictEqual(['StockReserved']);
    expect(locationOf(events)).toBe(tpl);
  });

  it('when the line names main, then it is refused: a named location is never swapped', () => {
    expect(refusalOf(decide({ ...reserve({ qty: 5, location: main }), locations: order }, state))).toMatchObject({ _tag: 'InsufficientStock', location: main, available: 0 });
  });

  it('when no registry is known, then the SKU’s own locations are still tried', () => {
    expect(locationOf(eventsOf(decide(reserve({ qty: 5 }), state)))).toBe(tpl);
  });
});

describe('given main 4, cold-room 6 and 3pl 10, tried in that order', () => {
  const state = given(restocked(4), restocked(6, { location: cold }), restocked(10, { location: tpl }));
  const order = [main, cold, tpl];

  it('when a line of 3 comes, then main fills it (first by priority)', () => {
    expect(chooseLocation(state, 3, order)).toStrictEqual({ _tag: 'Fills', location: main });
  });

  it('when a line of 6 comes, then cold-room fills it whole; main is skipped, never split', () => {
    expect(chooseLocation(state, 6, order)).toStrictEqual({ _tag: 'Fills', location: cold });
  });

  it('when a line of 11 comes, then no location fills it and the refusal says the most one location has (10 at 3pl)', () => {
    expect(chooseLocation(state, 11, order)).toStrictEqual({ _tag: 'NoneFills', best: tpl, available: 10 });
    const refused = eventsOf(decide(reserveFrom(11, order), state));
    expect(refused).toMatchObject([{ _tag: 'ReservationRefused', location: tpl, requested: 11, available: 10 }]);
  });

  it('when 6 is held twice, then the second goes to 3pl because cold-room is spent', () => {
    const first = eventsOf(decide(reserveFrom(6, order), state));
    expect(locationOf(first)).toBe(cold);
    const second = eventsOf(decide({ ...reserveFrom(6, order), commandId: CommandId.make('c2'), reservationId: r2 }, fold(state, first)));
    expect(locationOf(second)).toBe(tpl);
  });

  it('when a held line without location is asked again under its id, then it is the same hold wherever it was placed', () => {
    const placed = fold(state, eventsOf(decide(reserveFrom(6, order), state)));
    expect(Option.map(findReservation(placed, r1), (r) => r.location)).toStrictEqual(Option.some(cold));
    expect(decide({ ...reserveFrom(6, order), commandId: CommandId.make('c-retry') }, placed)).toStrictEqual(Either.right([]));
  });
});

describe('given stock at a location the registry does not list', () => {
  const state = given(restocked(2), restocked(5, { location: store }));

  it('when the registry lists only 3pl, then candidates are 3pl, then main, then the rest by id', () => {
    expect(candidatesOf(state, [tpl])).toStrictEqual([tpl, main, store]);
  });

  it('when the SKU has no stock anywhere and no registry, then main is the one candidate', () => {
    expect(candidatesOf(given(), [])).toStrictEqual([main]);
  });
});

describe('given a sale of 5 reported without a location, stock main 2 and 3pl 9 (registry: main, 3pl)', () => {
  const state = given(restocked(2), restocked(9, { location: tpl }));

  it('when recorded, then it is taken from 3pl, the first that covers it', () => {
    expect(locationOf(eventsOf(decide({ ...recordSale({ qty: 5 }), locations: [main, tpl] }, state)))).toBe(tpl);
  });

  it('when no location covers it (20), then it goes to the first by priority, with its shortfall recorded there', () => {
    const events = eventsOf(decide({ ...recordSale({ qty: 20 }), locations: [main, tpl] }, state));
    expect(events.map((e) => [e._tag, e.location])).toStrictEqual([
      ['SaleRecorded', main],
      ['ShortfallRecorded', main],
    ]);
  });
});
