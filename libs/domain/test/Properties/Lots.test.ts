// Properties of lots (DESIGN.md §10 "Lots and shelf life"): over random restocks into lots, holds on
// channels with different minimum shelf lives, commits, releases, sales, write-offs and quarantines —
// no lot ever goes below zero, the units out of sale are exactly those of quarantined lots, a commit
// only ever takes lots that are on sale and still have its channel's shelf life at the ship date, and
// (without losses) every hold accepted can be committed from lots that qualify: the shelf-life rule on
// holds never promises units no lot can ship.
import { describe, expect, it } from '@effect/vitest';
import fc from 'fast-check';
import { Either, HashMap } from 'effect';
import {
  CalendarDate,
  ChannelId,
  CommandId,
  decide,
  EpochMillis,
  evolve,
  initialState,
  LocationId,
  LotCode,
  ReservationId,
  sellableFrom,
  withShelfHeld,
  available,
  type ChannelTerms,
  type Command,
  type SkuState,
} from '../../src/index.js';
import { commit, recordSale, release, reserve, restock, adjust, sku } from '../Fixtures.js';

const locations = [LocationId.make('main'), LocationId.make('3pl')];
const lots = [
  { code: LotCode.make('L1'), bestBefore: CalendarDate.make('2027-01-10') },
  { code: LotCode.make('L2'), bestBefore: CalendarDate.make('2027-02-20') },
  { code: LotCode.make('L3'), bestBefore: CalendarDate.make('2027-04-30') },
  { code: LotCode.make('L4'), bestBefore: CalendarDate.make('2027-09-01') },
];
const channels: ReadonlyArray<ChannelTerms | undefined> = [
  undefined,
  { channel: ChannelId.make('web'), minShelfLifeDays: 30, handlingDays: 2 },
  { channel: ChannelId.make('retail'), minShelfLifeDays: 90, handlingDays: 5 },
  { channel: ChannelId.make('export'), minShelfLifeDays: 180, handlingDays: 10 },
];
const now = EpochMillis.make(Date.parse('2026-12-07T10:00:00Z'));

type Action =
  | { readonly kind: 'restock'; readonly location: number; readonly lot: number; readonly qty: number }
  | { readonly kind: 'hold'; readonly location: number | null; readonly channel: number; readonly qty: number }
  | { readonly kind: 'commit'; readonly hold: number }
  | { readonly kind: 'release'; readonly hold: number }
  | { readonly kind: 'sale'; readonly location: number; readonly channel: number; readonly qty: number }
  | { readonly kind: 'writeOff'; readonly location: number; readonly lot: number | null; readonly qty: number }
  | { readonly kind: 'quarantine'; readonly lot: number; readonly on: boolean };

const idx = (n: number) => fc.integer({ min: 0, max: n - 1 });
const restockA = fc.record({ kind: fc.constant('restock' as const), location: idx(2), lot: idx(4), qty: fc.integer({ min: 1, max: 8 }) });
const holdA = fc.record({ kind: fc.constant('hold' as const), location: fc.option(idx(2), { nil: null }), channel: idx(4), qty: fc.integer({ min: 1, max: 6 }) });
const commitA = fc.record({ kind: fc.constant('commit' as const), hold: idx(20) });
const releaseA = fc.record({ kind: fc.constant('release' as const), hold: idx(20) });
const lossless = fc.oneof(restockA, holdA, holdA, commitA, releaseA, fc.record({ kind: fc.constant('quarantine' as const), lot: idx(4), on: fc.boolean() }));
const anyAction: fc.Arbitrary<Action> = fc.oneof(
  lossless,
  fc.record({ kind: fc.constant('sale' as const), location: idx(2), channel: idx(4), qty: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('writeOff' as const), location: idx(2), lot: fc.option(idx(4), { nil: null }), qty: fc.integer({ min: 1, max: 5 }) }),
);

let n = 0;
const cid = () => CommandId.make(`prop-${++n}`);
const holdId = (i: number) => ReservationId.make(`h-${i}`);

const commandOf = (a: Action, holds: number): Command | undefined => {
  const at = { commandId: cid(), now };
  switch (a.kind) {
    case 'restock':
      return { ...restock({ qty: a.qty, location: locations[a.location] ?? LocationId.make('main') }), ...at, lot: lots[a.lot] ?? lots[0] };
    case 'hold': {
      const channel = channels[a.channel];
      return {
        ...reserve({ qty: a.qty, reservationId: holdId(holds) }),
        ...at,
        ...(a.location === null ? { locations } : { location: locations[a.location] }),
        ...(channel === undefined ? {} : { channel }),
      };
    }
    case 'commit':
      return holds === 0 ? undefined : { ...commit({ reservationId: holdId(a.hold % holds) }), ...at };
    case 'release':
      return holds === 0 ? undefined : { ...release({ reservationId: holdId(a.hold % holds) }), ...at };
    case 'sale': {
      const channel = channels[a.channel];
      return { ...recordSale({ qty: a.qty, location: locations[a.location] ?? LocationId.make('main') }), ...at, ...(channel === undefined ? {} : { channel }) };
    }
    case 'writeOff':
      {
      const code = a.lot === null ? undefined : lots[a.lot]?.code;
      return { ...adjust({ delta: -a.qty, location: locations[a.location] ?? LocationId.make('main') }), ...at, ...(code === undefined ? {} : { lot: code }) };
    }
    case 'quarantine':
      return { _tag: a.on ? 'QuarantineLot' : 'ReleaseLot', commandId: cid(), actor: restock().actor, now, sku, lot: lots[a.lot]?.code ?? LotCode.make('L1'), note: 'property' };
  }
};

/** Runs the actions, checking the invariants after every event; returns the final state and the commits seen. */
const play = (actions: ReadonlyArray<Action>, lossless = false) => {
  let state: SkuState = initialState(sku);
  let holds = 0;
  const commits: Array<{ readonly unassigned: number }> = [];
  for (const a of actions) {
    const command = commandOf(a, holds);
    if (command === undefined) continue;
    const decision = decide(command, state);
    if (a.kind === 'hold') holds++;
    if (Either.isLeft(decision)) continue;
    for (const event of decision.right) {
      if (event._tag === 'StockReserved' && event.dropId === undefined) {
        // Never more than is available at the location: quarantined and removed units are not.
        const here = state.positions[event.location];
        expect(event.qty).toBeLessThanOrEqual(here === undefined ? 0 : available(here));
      }
      if (event._tag === 'ReservationCommitted') {
        const hold = HashMap.get(state.open, event.reservationId);
        const from = hold._tag === 'Some' && hold.value.channel !== null ? sellableFrom(event.at, hold.value.channel) : null;
        // Lots on sale with the channel's shelf life at the ship date, unless none was left (stated as outOfPolicy).
        const offPolicy = (event.lots ?? []).reduce((sum, take) => {
          const lot = state.lots[take.lot];
          const fits = lot !== undefined && lot.quarantine === null && !lot.removed && (from === null || lot.bestBefore >= from);
          return sum + (fits ? 0 : take.qty);
        }, 0);
        expect(offPolicy).toBe(event.outOfPolicy ?? 0);
        const taken = (event.lots ?? []).reduce((sum, t) => sum + t.qty, 0);
        commits.push({ unassigned: event.unassigned ?? 0 });
        expect(taken + (event.unassigned ?? 0) <= event.qty).toBe(true);
      }
      state = evolve(state, event);
      // The running sums of shelf-bound holds are exactly what the open holds say.
      expect(state.shelfHeld).toStrictEqual(withShelfHeld(state).shelfHeld);
      for (const location of locations) {
        let outOfSale = 0;
        for (const lot of Object.values(state.lots)) {
          const units = lot.units[location] ?? 0;
          expect(units).toBeGreaterThanOrEqual(0);
          if (lot.quarantine !== null || lot.removed) outOfSale += units;
        }
        expect(state.positions[location]?.blocked ?? 0).toBe(outOfSale);
        // Without losses a lot never holds more units than are on hand there (no phantom lot units). A sale
        // reported beyond stock leaves on hand short of what lots received: a shortfall, stated as such.
        const lotted = Object.values(state.lots).reduce((sum, lot) => sum + (lot.units[location] ?? 0), 0);
        if (lossless) expect(lotted).toBeLessThanOrEqual(Math.max(0, state.positions[location]?.onHand ?? 0));
      }
    }
  }
  return { state, commits };
};

describe('given any sequence of lot restocks, channel holds, commits, releases, sales, write-offs and quarantines', () => {
  it('keeps every lot at or above zero, blocks exactly the quarantined lots’ units, and commits only lots on sale with the channel’s shelf life', () => {
    fc.assert(fc.property(fc.array(anyAction, { minLength: 1, maxLength: 40 }), (actions) => void play(actions)), { numRuns: 400 });
  });
});

describe('given restocks, channel holds, commits, releases and quarantines (no losses, one day)', () => {
  it('covers every hold it accepted with units on hand: nothing is ever unassigned (a quarantine after a hold is stated as outOfPolicy)', () => {
    fc.assert(
      fc.property(fc.array(lossless, { minLength: 1, maxLength: 40 }), (actions) => {
        // Every open hold committed at the end, too.
        const { state, commits } = play(actions, true);
        const ids = [...HashMap.keys(state.open)];
        let s = state;
        for (const id of ids) {
          const d = decide({ ...commit({ reservationId: id }), commandId: cid(), now }, s);
          if (Either.isLeft(d)) continue;
          for (const e of d.right) {
            if (e._tag === 'ReservationCommitted') commits.push({ unassigned: e.unassigned ?? 0 });
            s = evolve(s, e);
          }
        }
        expect(commits.every((c) => c.unassigned === 0)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
