// Specification of lots (DESIGN.md §10 "Lots and shelf life", "Quarantine and recall"): a commit takes
// lots first expired, first out among those sellable on its channel at the ship date, and a replay
// assigns the same; a channel's minimum shelf life counts the boundary day as sellable; a quarantined
// lot leaves sale at every location at once and its release puts back exactly what it took; a lot is
// announced as expiring once, and its units leave sale on its removal date.
import { describe, expect, it } from '@effect/vitest';
import { Either } from 'effect';
import {
  CalendarDate,
  ChannelId,
  CommandId,
  decide,
  EpochMillis,
  fold,
  initialState,
  LocationId,
  LotCode,
  lotsDue,
  positionAt,
  available,
  sellableFrom,
  type ChannelTerms,
  type Command,
  type Event,
  type SkuState,
  Reference,
  Units,
  decodeState,
  encodeState,
} from '../../src/index.js';
import { commit, recordSale, reserve, restock, adjust, r2, sku } from '../Fixtures.js';

let n = 0;
const id = () => CommandId.make(`lot-cmd-${++n}`);
const tpl = LocationId.make('3pl');
const main = LocationId.make('main');
const day = (iso: string) => EpochMillis.make(Date.parse(`${iso}T10:00:00Z`));
const lot = (code: string, bestBefore: string) => ({ code: LotCode.make(code), bestBefore: CalendarDate.make(bestBefore) });

/** Decides each command in turn from `state` and folds its events; a refusal fails the test. */
const run = (state: SkuState, ...commands: ReadonlyArray<Command>): { readonly state: SkuState; readonly events: ReadonlyArray<Event> } => {
  let s = state;
  const all: Array<Event> = [];
  for (const c of commands) {
    const d = decide(c, s);
    if (Either.isLeft(d)) throw new Error(`${c._tag} refused: ${JSON.stringify(d.left)}`);
    s = fold(s, d.right);
    all.push(...d.right);
  }
  return { state: s, events: all };
};
const received = (qty: number, l: ReturnType<typeof lot>, location = main): Command => ({ ...restock({ qty, location }), commandId: id(), lot: l });
const channel = (minShelfLifeDays: number, handlingDays = 0): ChannelTerms => ({ channel: ChannelId.make('retail'), minShelfLifeDays, handlingDays });

describe('given lots A (best before 2027-03-01, 10), B (2027-01-15, 4) and C (2027-06-01, 50)', () => {
  const { state } = run(initialState(sku), received(10, lot('A', '2027-03-01')), received(4, lot('B', '2027-01-15')), received(50, lot('C', '2027-06-01')));

  it('when a hold of 6 is committed, then it takes 4 of B and 2 of A (first expired, first out), in the event', () => {
    const { events, state: after } = run(state, { ...reserve({ qty: 6, at: 0 }), commandId: id(), now: day('2026-12-07') }, { ...commit(), commandId: id(), now: day('2026-12-07') });
    const committed = events.find((e) => e._tag === 'ReservationCommitted');
    expect(committed).toMatchObject({ lots: [{ lot: 'B', qty: 4 }, { lot: 'A', qty: 2 }] });
    expect(after.lots['B']?.units['main']).toBe(0);
    expect(after.lots['A']?.units['main']).toBe(8);
    // A replay of the journal (the events as recorded) gives the same lots.
    expect(fold(initialState(sku), [...run(initialState(sku), received(10, lot('A', '2027-03-01')), received(4, lot('B', '2027-01-15')), received(50, lot('C', '2027-06-01'))).events, ...events]).lots).toStrictEqual(after.lots);
  });

  it('when a sale of 3 is reported without a hold, then it takes 3 of B', () => {
    const { events } = run(state, { ...recordSale({ qty: 3 }), commandId: id(), now: day('2026-12-07') });
    expect(events[0]).toMatchObject({ _tag: 'SaleRecorded', lots: [{ lot: 'B', qty: 3 }] });
  });

  it('when a restock names lot B with another best-before, then it is refused as LotMismatch', () => {
    expect(decide(received(1, lot('B', '2027-02-01')), state)).toStrictEqual(
      Either.left({ _tag: 'LotMismatch', sku, lot: 'B', bestBefore: '2027-01-15', given: '2027-02-01' }),
    );
  });
});

describe('given a channel with a minimum shelf life of 90 days and no handling time', () => {
  const today = '2026-12-07';
  const ninety = '2027-03-07'; // 90 days after 2026-12-07
  const eightyNine = '2027-03-06';

  it('when a lot has exactly 90 days left at the ship date, then it is sellable; 89 days is not', () => {
    expect(sellableFrom(day(today), channel(90))).toBe(ninety);
    const { state } = run(initialState(sku), received(5, lot('EXACT', ninety)), received(7, lot('SHORT', eightyNine)));
    const hold = { ...reserve({ qty: 5 }), commandId: id(), now: day(today), channel: channel(90) };
    expect(Either.isRight(decide(hold, state))).toBe(true);
    const tooMany = { ...reserve({ qty: 6, reservationId: r2 }), commandId: id(), now: day(today), channel: channel(90) };
    expect(decide(tooMany, state)).toMatchObject(Either.right([{ _tag: 'ReservationRefused', available: 5 }]));
    // The commit takes the 90-day lot, never the 89-day one, though it expires first.
    const { events } = run(state, hold, { ...commit(), commandId: id(), now: day(today) });
    expect(events.find((e) => e._tag === 'ReservationCommitted')).toMatchObject({ lots: [{ lot: 'EXACT', qty: 5 }] });
  });

  it('when a SKU’s channel asks 856 days, then a lot with 855 never reaches it', () => {
    const from = sellableFrom(day(today), channel(856));
    const { state } = run(initialState(sku), received(20, lot('L855', '2029-04-10')), received(3, lot('L856', from)));
    expect(from).toBe('2029-04-11');
    const hold = { ...reserve({ qty: 3 }), commandId: id(), now: day(today), channel: channel(856) };
    const { events } = run(state, hold, { ...commit(), commandId: id(), now: day(today) });
    expect(events.find((e) => e._tag === 'ReservationCommitted')).toMatchObject({ lots: [{ lot: 'L856', qty: 3 }] });
    expect(decide({ ...reserve({ qty: 1, reservationId: r2 }), commandId: id(), now: day(today), channel: channel(856) }, run(state, hold).state)).toMatchObject(
      Either.right([{ _tag: 'ReservationRefused', available: 0 }]),
    );
  });

  it('when a hold is asked again under its id on another channel, then it conflicts (its shelf life is part of its terms)', () => {
    const { state } = run(initialState(sku), received(8, lot('ANY', '2027-09-01')));
    const held = run(state, { ...reserve({ qty: 2 }), commandId: id(), now: day(today), channel: channel(30) }).state;
    expect(decide({ ...reserve({ qty: 2 }), commandId: id(), now: day(today), channel: channel(30) }, held)).toStrictEqual(Either.right([]));
    expect(decide({ ...reserve({ qty: 2 }), commandId: id(), now: day(today), channel: { ...channel(90), channel: ChannelId.make('export') } }, held)).toMatchObject(
      Either.left({ _tag: 'ReservationIdConflict' }),
    );
  });

  it('when strict and loose holds share the lots, then a loose hold cannot take what a strict hold needs', () => {
    // 5 units good for 90 days, 5 only for 30: a strict hold of 5 leaves the loose channel 5, not 10.
    const { state } = run(initialState(sku), received(5, lot('LONG', '2027-06-01')), received(5, lot('SHORTER', '2027-01-20')));
    const strict = { ...reserve({ qty: 5 }), commandId: id(), now: day(today), channel: channel(90) };
    const held = run(state, strict).state;
    const loose = { ...reserve({ qty: 6, reservationId: r2 }), commandId: id(), now: day(today), channel: channel(30) };
    expect(decide(loose, held)).toMatchObject(Either.right([{ _tag: 'ReservationRefused', available: 5 }]));
  });
});

describe('given lot Q with 25 units at main and 15 at 3pl, 3 units already sold from it, and 10 units of lot R', () => {
  const { state } = run(
    initialState(sku),
    received(28, lot('Q', '2027-05-01')),
    received(15, lot('Q', '2027-05-01'), tpl),
    { ...recordSale({ qty: 3 }), commandId: id(), now: day('2026-12-07') },
    received(10, lot('R', '2027-09-01')),
  );

  it('when quarantined, then its 40 free units leave sale at both locations in one decision, and release puts back exactly 40', () => {
    expect(available(positionAt(state, main))).toBe(35);
    const quarantine: Command = { _tag: 'QuarantineLot', commandId: id(), actor: restock().actor, now: day('2026-12-08'), sku, lot: LotCode.make('Q'), note: 'supplier recall notice 4411' };
    const { state: held, events } = run(state, quarantine);
    expect(events.map((e) => [e._tag, e.location, 'units' in e ? e.units : null])).toStrictEqual([
      ['LotQuarantined', '3pl', 15],
      ['LotQuarantined', 'main', 25],
    ]);
    expect(available(positionAt(held, main))).toBe(10);
    expect(available(positionAt(held, tpl))).toBe(0);
    // FEFO skips it: a commit takes R though Q expires first.
    const { events: sold } = run(held, { ...recordSale({ qty: 2 }), commandId: id(), now: day('2026-12-08') });
    expect(sold[0]).toMatchObject({ lots: [{ lot: 'R', qty: 2 }] });
    const release: Command = { ...quarantine, _tag: 'ReleaseLot', commandId: id(), note: 'cleared by lab' };
    const { state: back, events: released } = run(held, release);
    expect(released.reduce((sum, e) => sum + ('units' in e ? Number(e.units) : 0), 0)).toBe(40);
    expect(available(positionAt(back, main))).toBe(35);
    expect(available(positionAt(back, tpl))).toBe(15);
  });

  it('when a quarantined lot is written off, then its blocked units go with it', () => {
    const quarantine: Command = { _tag: 'QuarantineLot', commandId: id(), actor: restock().actor, now: day('2026-12-08'), sku, lot: LotCode.make('Q'), note: 'recall' };
    const { state: held } = run(state, quarantine, { ...adjust({ delta: -25, reason: 'damaged' }), commandId: id(), lot: LotCode.make('Q') });
    expect(positionAt(held, main).onHand).toBe(10);
    expect(positionAt(held, main).blocked ?? 0).toBe(0);
    expect(available(positionAt(held, main))).toBe(10);
  });
});

describe('given lot K with 25 units at main beside 6 units without a lot', () => {
  const { state } = run(initialState(sku), received(25, lot('K', '2027-05-01')), { ...restock({ qty: 6 }), commandId: id() });

  it('when lot K is counted at 20, then its units become 20 and on hand moves by −5; the units without a lot are untouched', () => {
    const count: Command = { _tag: 'CountStock', commandId: id(), actor: restock().actor, now: day('2026-12-08'), sku, counted: Units.make(20), reference: Reference.make('CC-7'), lot: LotCode.make('K'), expectedOnHand: 25 };
    const { state: after, events } = run(state, count);
    expect(events[0]).toMatchObject({ _tag: 'StockCounted', lot: 'K', counted: 20, expected: 25, difference: -5 });
    expect(after.lots['K']?.units['main']).toBe(20);
    expect(positionAt(after, main).onHand).toBe(26);
  });

  it('when the count expected another figure for the lot, then it is refused as CountStale with the lot’s units', () => {
    const count: Command = { _tag: 'CountStock', commandId: id(), actor: restock().actor, now: day('2026-12-08'), sku, counted: Units.make(20), reference: Reference.make('CC-8'), lot: LotCode.make('K'), expectedOnHand: 31 };
    expect(decide(count, state)).toMatchObject(Either.left({ _tag: 'CountStale', expectedOnHand: 31, onHand: 25 }));
  });
});

describe('given lot E best before 2027-01-31, alert 30 days and removal 7 days before', () => {
  const policy: Command = { _tag: 'SetStockPolicy', commandId: id(), actor: restock().actor, now: day('2026-12-01'), sku, alertDays: 30, removalDays: 7 };
  const { state } = run(initialState(sku), received(12, lot('E', '2027-01-31')), policy);
  const check = (iso: string): Command => ({ _tag: 'CheckLots', commandId: id(), actor: restock().actor, now: day(iso), sku });

  it('when the clock reaches 2027-01-01, then stock.v1.lot.expiring is recorded once, and never again', () => {
    expect(lotsDue(state, day('2026-12-31'))).toBe(false);
    expect(lotsDue(state, day('2027-01-01'))).toBe(true);
    const { state: alerted, events } = run(state, check('2027-01-01'));
    expect(events.map((e) => e._tag)).toStrictEqual(['LotExpiring']);
    expect(run(alerted, check('2027-01-02')).events).toStrictEqual([]);
  });

  it('when the clock reaches 2027-01-24, then its 12 free units leave sale', () => {
    const { state: removed, events } = run(state, check('2027-01-24'));
    expect(events.map((e) => e._tag)).toStrictEqual(['LotExpiring', 'LotRemovedFromSale']);
    expect(available(positionAt(removed, main))).toBe(0);
    expect(lotsDue(removed, day('2027-02-10'))).toBe(false);
  });
});

describe('given a SKU with lots, a quarantine, a shelf-bound hold and a lot policy', () => {
  it('when its snapshot is written and read back, then it is the same state', () => {
    const { state } = run(
      initialState(sku),
      received(9, lot('S1', '2027-04-01')),
      received(4, lot('S2', '2027-08-01'), tpl),
      { _tag: 'QuarantineLot', commandId: id(), actor: restock().actor, now: day('2026-12-08'), sku, lot: LotCode.make('S2'), note: 'lab hold' },
      { ...reserve({ qty: 2 }), commandId: id(), now: day('2026-12-08'), channel: channel(30, 2) },
      { _tag: 'SetStockPolicy', commandId: id(), actor: restock().actor, now: day('2026-12-08'), sku, alertDays: 45, removalDays: 10 },
    );
    const decoded = Either.getOrThrow(decodeState(JSON.parse(JSON.stringify(encodeState(state)))));
    // Persistent maps compare by their entries: the encoded forms, which hold every field.
    expect(encodeState(decoded)).toStrictEqual(encodeState(state));
    expect(decoded.lots).toStrictEqual(state.lots);
    expect(decoded.positions).toStrictEqual(state.positions);
  });
});
