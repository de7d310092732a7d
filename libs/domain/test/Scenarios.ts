// Random command sequences for the property tests, and the "live" loop that runs them as the actor
// does: decide each command against the current state and fold in the events it accepts.
import fc from 'fast-check';
import {
  CalendarDate,
  ChannelId,
  LotCode,
  Actor,
  AdjustReasons,
  CommandId,
  CloseDropReasons,
  CustomerId,
  decide,
  DropId,
  Delta,
  EpochMillis,
  evolve,
  initialState,
  LocationId,
  MinTtlSeconds,
  OrderId,
  Quantity,
  Reference,
  ReleaseReasons,
  ReservationId,
  TtlSeconds,
  Units,
  type AdjustReason,
  type Command,
  type Decision,
  type Event,
  type ReleaseReason,
  type SkuState,
} from '../src/index.js';
import { absurd, Either } from 'effect';
import { main, sku, t0 } from './Fixtures.js';

/** Locations a scenario may use (the first is the default one) and the small pool of reservation ids. */
export const locations: ReadonlyArray<LocationId> = [main, LocationId.make('cold')];
const reservationIds: ReadonlyArray<ReservationId> = ['res-a', 'res-b', 'res-c', 'res-d', 'res-e', 'res-f'].map((id) => ReservationId.make(id));
/** Two drops and three customers, so limits, sell-outs and retries under new ids meet often. */
export const dropIds: ReadonlyArray<DropId> = ['drop-a', 'drop-b'].map((id) => DropId.make(id));
const customerIds: ReadonlyArray<CustomerId> = ['cust-1', 'cust-2', 'cust-3'].map((id) => CustomerId.make(id));

type Action =
  | { readonly kind: 'reserve'; readonly loc: number; readonly rid: number; readonly qty: number; readonly ttl: number }
  | { readonly kind: 'commit'; readonly rid: number }
  | { readonly kind: 'release'; readonly rid: number; readonly reason: ReleaseReason }
  | { readonly kind: 'extend'; readonly rid: number; readonly ttl: number }
  | { readonly kind: 'expire'; readonly rid: number }
  | { readonly kind: 'sale'; readonly loc: number; readonly qty: number }
  | { readonly kind: 'restock'; readonly loc: number; readonly qty: number }
  | { readonly kind: 'adjust'; readonly loc: number; readonly delta: number; readonly reason: AdjustReason }
  | { readonly kind: 'count'; readonly loc: number; readonly counted: number; readonly expectedOnHand: number | null }
  | { readonly kind: 'return'; readonly loc: number; readonly qty: number; readonly restockable: boolean }
  | { readonly kind: 'policy'; readonly loc: number; readonly safetyStock: number | null; readonly lowStockThreshold: number | null }
  | { readonly kind: 'allocate'; readonly loc: number; readonly drop: number; readonly allocation: number; readonly limit: number; readonly opensInMs: number; readonly openMs: number; readonly revert: boolean }
  | { readonly kind: 'dropReserve'; readonly drop: number; readonly rid: number; readonly qty: number; readonly ttl: number; readonly customer: number | null }
  | { readonly kind: 'closeDrop'; readonly drop: number; readonly byTimer: boolean }
  | { readonly kind: 'openDrop'; readonly drop: number }
  | { readonly kind: 'withdrawDrop'; readonly drop: number }
  | { readonly kind: 'restockLot'; readonly loc: number; readonly lot: number; readonly qty: number; readonly otherDate: boolean }
  | { readonly kind: 'quarantine'; readonly lot: number; readonly on: boolean }
  | { readonly kind: 'lotPolicy'; readonly alertDays: number | null; readonly removalDays: number | null }
  | { readonly kind: 'checkLots' }
  | { readonly kind: 'reserveOnChannel'; readonly loc: number | null; readonly rid: number; readonly qty: number; readonly ttl: number; readonly minShelfLifeDays: number }
  /** Sends an earlier command again (same id and body), stamped with the current time. */
  | { readonly kind: 'retry'; readonly back: number };

interface Step {
  readonly advanceMs: number;
  readonly commandNo: number;
  readonly action: Action;
}

export interface Scenario {
  readonly locations: 1 | 2;
  readonly steps: ReadonlyArray<Step>;
}

const loc = fc.nat({ max: 1 });
const rid = fc.nat({ max: reservationIds.length - 1 });
const qty = fc.integer({ min: 1, max: 5 });
// Short holds, so that the clock often crosses an expiry within a sequence.
const ttl = fc.integer({ min: MinTtlSeconds, max: 180 });

const reserveAction = fc.record({ kind: fc.constant('reserve'), loc, rid, qty, ttl });
const drop = fc.nat({ max: dropIds.length - 1 });
const dropActions = [
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('allocate'),
      loc,
      drop,
      allocation: fc.integer({ min: 1, max: 12 }),
      limit: fc.integer({ min: 1, max: 3 }),
      opensInMs: fc.integer({ min: -5_000, max: 20_000 }),
      openMs: fc.integer({ min: 1_000, max: 10 * 60_000 }),
      revert: fc.boolean().map((b) => b && Math.random() < 0.2),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('dropReserve'), drop, rid, qty: fc.integer({ min: 1, max: 3 }), ttl, customer: fc.option(fc.nat({ max: customerIds.length - 1 }), { freq: 12 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('closeDrop'), drop, byTimer: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('openDrop'), drop }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdrawDrop'), drop }) },
] as const;
// Lots best before 14 days, ~2 months and ~7 months after t0; index 3 names a lot never received.
const lotCodes = ['L1', 'L2', 'L3', 'L-NEVER'].map((c) => LotCode.make(c));
const lotDates = ['2025-01-20', '2025-03-01', '2025-08-01', '2025-12-31'].map((d) => CalendarDate.make(d));
const lotIndex = fc.nat({ max: 3 });
const lotActions = [
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('restockLot'), loc, lot: fc.nat({ max: 2 }), qty: fc.integer({ min: 1, max: 12 }), otherDate: fc.boolean().map((b) => b && Math.random() < 0.1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('quarantine'), lot: lotIndex, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lotPolicy'), alertDays: fc.option(fc.nat({ max: 40 })), removalDays: fc.option(fc.nat({ max: 20 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('checkLots') }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('reserveOnChannel'), loc: fc.option(loc), rid, qty, ttl, minShelfLifeDays: fc.constantFrom(0, 10, 30, 90, 200) }),
  },
] as const;
const holdActions = [
  ...dropActions,
  ...lotActions,
  { weight: 5, arbitrary: reserveAction },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('commit'), rid }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release'), rid, reason: fc.constantFrom(...ReleaseReasons) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extend'), rid, ttl }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire'), rid }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('restock'), loc, qty: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('return'), loc, qty, restockable: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('policy'),
      loc,
      safetyStock: fc.option(fc.nat({ max: 4 })),
      lowStockThreshold: fc.option(fc.nat({ max: 6 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry'), back: fc.nat({ max: 20 }) }) },
] as const;

/** Any command, physical losses included. */
const anyAction: fc.Arbitrary<Action> = fc.oneof(
  ...holdActions,
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sale'), loc, qty }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('adjust'),
      loc,
      delta: fc.oneof(fc.integer({ min: -8, max: -1 }), fc.integer({ min: 1, max: 8 })),
      reason: fc.constantFrom(...AdjustReasons),
    }),
  },
  // A stocktake finds more or fewer units than expected, sometimes fewer than are held.
  // Sometimes with the on-hand the counter expects (often stale: refused as CountStale).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('count'), loc, counted: fc.nat({ max: 30 }), expectedOnHand: fc.option(fc.integer({ min: -5, max: 30 }), { freq: 3 }) }) },
);

/** Only reserve/commit/release/extend/expire/restock/returns/policy and adjustments that add stock. */
export const noLossAction: fc.Arbitrary<Action> = fc.oneof(...holdActions, {
  weight: 1,
  arbitrary: fc.record({ kind: fc.constant('adjust'), loc, delta: fc.integer({ min: 1, max: 8 }), reason: fc.constantFrom(...AdjustReasons) }),
});

// Mostly seconds apart, sometimes minutes, now and then long enough to age the memories out.
const advanceMs = fc.oneof(
  { weight: 14, arbitrary: fc.integer({ min: 0, max: 3_000 }) },
  { weight: 5, arbitrary: fc.integer({ min: 3_000, max: 60_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 40 * 60_000 }) },
);
// Mostly fresh command ids, and a small pool so that unrelated commands collide.
const commandNo = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 100, max: 1_000_000 }) }, { weight: 1, arbitrary: fc.nat({ max: 9 }) });

export const scenario = (action: fc.Arbitrary<Action> = anyAction): fc.Arbitrary<Scenario> =>
  fc.record({
    locations: fc.constantFrom<1 | 2>(1, 2),
    steps: fc.array(fc.record({ advanceMs, commandNo, action }), { minLength: 1, maxLength: 60, size: 'max' }),
  });

const actors = [Actor.make('apikey:storefront'), Actor.make('user:alice'), Actor.make('system:expiry-timer')];

const build = (step: Step, now: EpochMillis, sent: ReadonlyArray<Command>, used: 1 | 2): Command | undefined => {
  const a = step.action;
  if (a.kind === 'retry') {
    const earlier = sent[sent.length - 1 - (a.back % Math.max(1, sent.length))];
    return earlier === undefined ? undefined : { ...earlier, now };
  }
  const envelope = {
    commandId: CommandId.make(`cmd-${step.commandNo}`),
    actor: actors[step.commandNo % actors.length] ?? actors[0] ?? Actor.make('user:alice'),
    now,
    sku,
  };
  const at = (i: number) => {
    const location = locations[i % used] ?? main;
    // The default location is sometimes named and sometimes left out.
    return location === main && step.commandNo % 2 === 0 ? {} : { location };
  };
  const reservationId = (i: number) => reservationIds[i] ?? ReservationId.make('res-a');
  const dropOf = (i: number) => dropIds[i] ?? DropId.make('drop-a');
  switch (a.kind) {
    case 'reserve':
      return { _tag: 'ReserveStock', ...envelope, ...at(a.loc), reservationId: reservationId(a.rid), qty: Quantity.make(a.qty), ttlSeconds: TtlSeconds.make(a.ttl) };
    case 'commit':
      return { _tag: 'CommitReservation', ...envelope, reservationId: reservationId(a.rid) };
    case 'release':
      return { _tag: 'ReleaseReservation', ...envelope, reservationId: reservationId(a.rid), reason: a.reason };
    case 'extend':
      return { _tag: 'ExtendReservation', ...envelope, reservationId: reservationId(a.rid), ttlSeconds: TtlSeconds.make(a.ttl) };
    case 'expire':
      return { _tag: 'ExpireReservation', ...envelope, reservationId: reservationId(a.rid) };
    case 'sale':
      return { _tag: 'RecordSale', ...envelope, ...at(a.loc), orderId: OrderId.make(`order-${step.commandNo}`), qty: Quantity.make(a.qty) };
    case 'restock':
      return { _tag: 'Restock', ...envelope, ...at(a.loc), qty: Quantity.make(a.qty), reference: Reference.make(`PO-${step.commandNo}`) };
    case 'adjust':
      return { _tag: 'AdjustStock', ...envelope, ...at(a.loc), delta: Delta.make(a.delta), reason: a.reason, reference: Reference.make('COUNT') };
    case 'count':
      return {
        _tag: 'CountStock',
        ...envelope,
        ...at(a.loc),
        counted: Units.make(a.counted),
        reference: Reference.make(`COUNT-${step.commandNo}`),
        ...(a.expectedOnHand === null ? {} : { expectedOnHand: a.expectedOnHand }),
      };
    case 'return':
      return {
        _tag: 'ReceiveReturn',
        ...envelope,
        ...at(a.loc),
        orderId: OrderId.make(`order-${step.commandNo}`),
        qty: Quantity.make(a.qty),
        restockable: a.restockable,
        reference: Reference.make('RMA'),
      };
    case 'allocate':
      return {
        _tag: 'AllocateDrop',
        ...envelope,
        ...at(a.loc),
        dropId: dropOf(a.drop),
        // Terms relative to a fixed grid, so a later allocate of the same drop often repeats or raises them.
        opensAt: EpochMillis.make(Math.max(0, t0 + Math.round((now - t0 + a.opensInMs) / 30_000) * 30_000)),
        closesAt: EpochMillis.make(Math.max(0, t0 + Math.round((now - t0 + a.opensInMs) / 30_000) * 30_000) + a.openMs),
        allocation: Quantity.make(a.allocation),
        limitPerCustomer: Quantity.make(a.limit),
        ...(a.revert ? { revert: true } : {}),
      };
    case 'dropReserve':
      return {
        _tag: 'ReserveStock',
        ...envelope,
        reservationId: reservationId(a.rid),
        qty: Quantity.make(a.qty),
        ttlSeconds: TtlSeconds.make(a.ttl),
        dropId: dropOf(a.drop),
        ...(a.customer === null ? {} : { customerId: customerIds[a.customer] ?? CustomerId.make('cust-1') }),
      };
    case 'closeDrop':
      return { _tag: 'CloseDrop', ...envelope, dropId: dropOf(a.drop), reason: a.byTimer ? CloseDropReasons[0] : CloseDropReasons[1] };
    case 'openDrop':
      return { _tag: 'OpenDrop', ...envelope, dropId: dropOf(a.drop) };
    case 'withdrawDrop':
      return { _tag: 'WithdrawDrop', ...envelope, dropId: dropOf(a.drop) };
    case 'restockLot':
      return {
        _tag: 'Restock',
        ...envelope,
        ...at(a.loc),
        qty: Quantity.make(a.qty),
        reference: Reference.make(`PO-${step.commandNo}`),
        lot: { code: lotCodes[a.lot] ?? LotCode.make('L1'), bestBefore: a.otherDate ? CalendarDate.make('2026-06-30') : (lotDates[a.lot] ?? CalendarDate.make('2025-03-01')) },
      };
    case 'quarantine':
      return { _tag: a.on ? 'QuarantineLot' : 'ReleaseLot', ...envelope, lot: lotCodes[a.lot] ?? LotCode.make('L1'), note: 'scenario' };
    case 'lotPolicy':
      return { _tag: 'SetStockPolicy', ...envelope, alertDays: a.alertDays, removalDays: a.removalDays };
    case 'checkLots':
      return { _tag: 'CheckLots', ...envelope };
    case 'reserveOnChannel':
      return {
        _tag: 'ReserveStock',
        ...envelope,
        ...(a.loc === null ? { locations: locations.slice(0, used) } : at(a.loc)),
        reservationId: reservationId(a.rid),
        qty: Quantity.make(a.qty),
        ttlSeconds: TtlSeconds.make(a.ttl),
        channel: { channel: ChannelId.make('retail'), minShelfLifeDays: a.minShelfLifeDays, handlingDays: 1 },
      };
    case 'policy':
      return {
        _tag: 'SetStockPolicy',
        ...envelope,
        ...at(a.loc),
        ...(a.safetyStock === null ? {} : { safetyStock: Units.make(a.safetyStock) }),
        ...(a.lowStockThreshold === null ? {} : { lowStockThreshold: Units.make(a.lowStockThreshold) }),
      };
    default:
      return absurd<Command>(a);
  }
};

/** The commands of a scenario, with `now` advancing monotonically from `t0`. */
export const commandsOf = (s: Scenario): ReadonlyArray<Command> => {
  const sent: Array<Command> = [];
  let now = t0;
  for (const step of s.steps) {
    now = EpochMillis.make(now + step.advanceMs);
    const command = build(step, now, sent, s.locations);
    if (command !== undefined) sent.push(command);
  }
  return sent;
};

export interface Turn {
  readonly command: Command;
  readonly before: SkuState;
  readonly decision: Decision;
  /** The events the decision accepted; none for a rejection. */
  readonly events: ReadonlyArray<Event>;
  readonly after: SkuState;
}

/** Decides each command against the state so far and folds in what it accepts. */
export const live = (start: SkuState, commands: ReadonlyArray<Command>): ReadonlyArray<Turn> => {
  const turns: Array<Turn> = [];
  let state = start;
  for (const command of commands) {
    const decision = decide(command, state);
    const events = Either.getOrElse(decision, (): ReadonlyArray<Event> => []);
    const after = events.reduce(evolve, state);
    turns.push({ command, before: state, decision, events, after });
    state = after;
  }
  return turns;
};

export const lastState = (start: SkuState, turns: ReadonlyArray<Turn>): SkuState => turns.at(-1)?.after ?? start;

export const startState = (): SkuState => initialState(sku);

/** 1,000 runs per property, as the brief of these tests asks. */
export const runs = { numRuns: 1_000 };
