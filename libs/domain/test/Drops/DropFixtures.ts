// Commands and a runner for the drop specifications: a drop of OAT-MILK-1L opening at t0 + 60 s and
// closing at t0 + 600 s, 10 units, 2 per customer, unless a specification says otherwise.
import { Either } from 'effect';
import {
  CommandId,
  CustomerId,
  decide,
  DefaultTtlSeconds,
  DropId,
  evolve,
  Quantity,
  ReservationId,
  TtlSeconds,
  type AllocateDrop,
  type CloseDrop,
  type CloseDropReason,
  type Command,
  type Event,
  type Rejection,
  type ReserveStock,
  type SkuState,
} from '../../src/index.js';
import { after, shop, sku } from '../Fixtures.js';

export const drop = DropId.make('ghost-pepper-friday');
export const opensAt = after(60);
export const closesAt = after(600);
export const alice = CustomerId.make('cust-alice');
export const bob = CustomerId.make('cust-bob');

let counter = 0;
const id = (prefix: string) => CommandId.make(`${prefix}-${++counter}`);

export const allocate = (
  o: { readonly at?: number; readonly allocation?: number; readonly limit?: number; readonly opensAt?: number; readonly closesAt?: number; readonly revert?: boolean; readonly dropId?: DropId } = {},
): AllocateDrop => ({
  _tag: 'AllocateDrop',
  commandId: id('allocate'),
  actor: shop,
  now: after(o.at ?? 0),
  sku,
  dropId: o.dropId ?? drop,
  opensAt: o.opensAt === undefined ? opensAt : after(o.opensAt),
  closesAt: o.closesAt === undefined ? closesAt : after(o.closesAt),
  allocation: Quantity.make(o.allocation ?? 10),
  limitPerCustomer: Quantity.make(o.limit ?? 2),
  ...(o.revert === true ? { revert: true } : {}),
});

/** A hold in the drop; `atMs` (milliseconds after t0) wins over `at` (seconds) for boundary cases. */
export const holdIn = (
  o: { readonly at?: number; readonly atMs?: number; readonly qty?: number; readonly customerId?: CustomerId | null; readonly reservationId?: string; readonly ttlSeconds?: number; readonly dropId?: DropId } = {},
): ReserveStock => ({
  _tag: 'ReserveStock',
  commandId: id('hold'),
  actor: shop,
  now: o.atMs === undefined ? after(o.at ?? 60) : after(o.atMs / 1000),
  sku,
  reservationId: ReservationId.make(o.reservationId ?? `res-${counter + 1}`),
  qty: Quantity.make(o.qty ?? 1),
  ttlSeconds: TtlSeconds.make(o.ttlSeconds ?? DefaultTtlSeconds),
  dropId: o.dropId ?? drop,
  ...(o.customerId === null ? {} : { customerId: o.customerId ?? alice }),
});

export const close = (o: { readonly at?: number; readonly reason?: CloseDropReason } = {}): CloseDrop => ({
  _tag: 'CloseDrop',
  commandId: id('close'),
  actor: shop,
  now: after(o.at ?? 120),
  sku,
  dropId: drop,
  reason: o.reason ?? 'closed_by_operator',
});

export interface Played {
  readonly state: SkuState;
  readonly events: ReadonlyArray<Event>;
  readonly rejection: Rejection | undefined;
}

/** Decides `command` against `state` and folds in what it accepts. */
export const play = (state: SkuState, command: Command): Played =>
  Either.match(decide(command, state), {
    onLeft: (rejection) => ({ state, events: [], rejection }),
    onRight: (events) => ({ state: events.reduce(evolve, state), events, rejection: undefined }),
  });

/** Plays every command in turn; the state at the end. */
export const playAll = (state: SkuState, ...commands: ReadonlyArray<Command>): SkuState => commands.reduce((s, c) => play(s, c).state, state);

/** The refusal recorded by a hold, as `{reason, available}`, or undefined when it was not refused that way. */
export const recordedRefusal = (played: Played) => {
  const refused = played.events.find((e) => e._tag === 'ReservationRefused');
  return refused?._tag === 'ReservationRefused' ? { reason: refused.reason, available: refused.available } : undefined;
};
