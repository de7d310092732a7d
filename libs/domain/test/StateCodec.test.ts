// Unit tests of the snapshot codec: a state written as JSON and read back is the same state and decides
// the same; a corrupt snapshot is a Left, never a throw.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { Either, Equal, HashMap, Option } from 'effect';
import { decide, decodeState, encodeState, findReservation, size, type SkuState } from '../src/index.js';
import {
  canonical,
  cold,
  commit,
  committed,
  eventsOf,
  expired,
  given,
  policySet,
  r1,
  r2,
  rejectionOf,
  release,
  released,
  reserved,
  restock,
  restocked,
  sold,
} from './Fixtures.js';
import { commandsOf, lastState, live, scenario, startState } from './Scenarios.js';

const throughJson = (state: SkuState): unknown => JSON.parse(JSON.stringify(encodeState(state)));

describe('given the initial state', () => {
  it('reads back what it wrote', () => {
    const state = startState();
    expect(canonical(Either.getOrThrow(decodeState(throughJson(state))))).toStrictEqual(canonical(state));
  });
});

describe('given holds open and closed, policies at two locations and remembered command ids', () => {
  const state = given(
    restocked(10),
    restocked(5, { location: cold, commandId: 'restock-cold' }),
    policySet(2, 3),
    reserved(r1, 4, { at: 10 }),
    reserved(r2, 1, { at: 15, location: cold }),
    released(r2, 1, 'payment_failed', { at: 20, location: cold }),
    sold(1, { at: 30 }),
  );
  const decoded = Either.getOrThrow(decodeState(throughJson(state)));

  it('reads back an equal state', () => {
    expect(canonical(decoded)).toStrictEqual(canonical(state));
    expect(decoded.positions).toStrictEqual(state.positions);
    // Command memory holds plain values, so its maps compare by Equal too (holds are objects: by reference).
    expect(Equal.equals(decoded.commands.current, state.commands.current)).toBe(true);
    expect(HashMap.size(decoded.open)).toBe(1);
    expect(Option.map(findReservation(decoded, r2), (r) => r.status)).toStrictEqual(Option.some('released'));
  });

  it('decides as the original does: retries, open holds and closed holds alike', () => {
    const commands = [
      restock({ commandId: 'restock-cold', qty: 5, location: cold }),
      commit({ commandId: 'c-1', at: 40 }),
      commit({ commandId: 'c-2', reservationId: r2, at: 40 }),
      release({ commandId: 'c-3', reservationId: r2, at: 40 }),
    ];
    for (const command of commands) expect(decide(command, decoded)).toStrictEqual(decide(command, state));
    expect(eventsOf(decide(commands[0] ?? restock(), decoded))).toStrictEqual([]);
    expect(rejectionOf(decide(commands[2] ?? commit(), decoded))).toMatchObject({ _tag: 'ReservationAlreadyReleased' });
  });
});

describe('given holds committed and expired', () => {
  it('reads back their closed status', () => {
    const state = given(restocked(10), reserved(r1, 4), committed(r1, 4, { at: 10 }), reserved(r2, 2), expired(r2, 2, { at: 900 }));
    expect(canonical(Either.getOrThrow(decodeState(throughJson(state))))).toStrictEqual(canonical(state));
  });
});

describe('given any state reached by random commands', () => {
  it('reads back an equal state', () => {
    fc.assert(
      fc.property(scenario(), (s) => {
        const state = lastState(startState(), live(startState(), commandsOf(s)));
        expect(canonical(Either.getOrThrow(decodeState(throughJson(state))))).toStrictEqual(canonical(state));
      }),
      { numRuns: 300 },
    );
  });
});

const isLeftWithoutThrowing = (input: unknown): boolean => {
  let decoded: ReturnType<typeof decodeState> | undefined;
  expect(() => {
    decoded = decodeState(input);
  }).not.toThrow();
  return decoded !== undefined && Either.isLeft(decoded);
};

describe('given a corrupt snapshot', () => {
  const good = encodeState(given(restocked(10), reserved(r1, 4)));

  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', '{"sku":'],
    ['an empty object', {}],
    ['a negative version', { ...good, version: -1 }],
    ['a SKU with a dot', { ...good, sku: 'OAT.MILK' }],
    ['a negative reserved', { ...good, positions: { main: { onHand: 10, reserved: -1, safetyStock: 0, lowStockThreshold: null } } }],
    ['a fractional onHand', { ...good, positions: { main: { onHand: 1.5, reserved: 0, safetyStock: 0, lowStockThreshold: null } } }],
    ['open holds as an object', { ...good, open: {} }],
    ['a hold with an unknown status', { ...good, open: good.open.map(([id, r]) => [id, { ...r, status: 'lost' }]) }],
    ['a hold of 0 units', { ...good, open: good.open.map(([id, r]) => [id, { ...r, qty: 0 }]) }],
    ['an empty command id', { ...good, commands: { ...good.commands, current: [['', 0]] } }],
    ['no command memory', { ...good, commands: undefined }],
  ])('is a Left for %s, not a throw', (_, input) => {
    expect(isLeftWithoutThrowing(input)).toBe(true);
  });

  // Schema.Record with a refined key (LocationId) skips keys that do not match instead of failing, so a
  // position stored under an invalid location (here "MAIN", onHand 1) vanishes from the decoded state:
  // decodeState returns Right with `positions` holding only "main". Decoding with
  // `{ onExcessProperty: 'error' }` turns it into a Left.
  it('is a Left for a position under an invalid location', () => {
    const positions = { ...good.positions, MAIN: { onHand: 1, reserved: 0, safetyStock: 0, lowStockThreshold: null } };
    expect(isLeftWithoutThrowing({ ...good, positions })).toBe(true);
  });
});

describe('given a snapshot written before refusals were recorded (no refused memory in it)', () => {
  it('reads back with no refusal remembered and everything else as written', () => {
    const state = given(restocked(10), reserved(r1, 4, { at: 10 }));
    const { refused: _absent, ...older } = encodeState(state);
    const decoded = Either.getOrThrow(decodeState(JSON.parse(JSON.stringify(older))));
    expect(size(decoded.refused)).toBe(0);
    expect(canonical(decoded)).toStrictEqual(canonical(state));
  });
});
