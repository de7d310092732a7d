// Applied batches made by the real decider: each `run` decides its commands in order against the
// SKU's state (as the actor does), folds in the events, and numbers the batch like a journal append.
import {
  Actor,
  AdjustReasons,
  CommandId,
  CustomerId,
  decide,
  Delta,
  DropId,
  EpochMillis,
  evolve,
  initialState,
  LocationId,
  OrderId,
  Quantity,
  Reference,
  ReservationId,
  Sku,
  TtlSeconds,
  Units,
  type Command,
  type Event,
  type SkuState,
} from '@larder/domain';
import { Either } from 'effect';
import type { StockView } from '@larder/messaging';
import type { AppliedBatch } from '../../../src/Projection/Projector.js';
import { stockViewOf } from '../../../src/Projection/StockViewOf.js';

/** Monday 6 January 2025, 09:00 UTC; each command is one second after the previous one. */
export const t0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const actor = Actor.make('user:warehouse');

interface Stamp {
  readonly sku: Sku;
  readonly now: EpochMillis;
  readonly commandId: CommandId;
  readonly actor: Actor;
}
/** A command waiting for its SKU, time and id. */
export type Step = (stamp: Stamp) => Command;

const at = (location: string | undefined) => (location === undefined ? {} : { location: LocationId.make(location) });

export const restock = (qty: number, location?: string): Step => (s) => ({
  _tag: 'Restock', ...s, ...at(location), qty: Quantity.make(qty), reference: Reference.make('PO-1'),
});
export const reserve = (id: string, qty: number, location?: string): Step => (s) => ({
  _tag: 'ReserveStock', ...s, ...at(location), reservationId: ReservationId.make(id), qty: Quantity.make(qty), ttlSeconds: TtlSeconds.make(900),
});
/** A hold in drop `dropId` for `customer` (with no location: the drop's). */
export const reserveInDrop = (id: string, qty: number, dropId: string, customer: string): Step => (s) => ({
  _tag: 'ReserveStock', ...s, reservationId: ReservationId.make(id), qty: Quantity.make(qty), ttlSeconds: TtlSeconds.make(900),
  dropId: DropId.make(dropId), customerId: CustomerId.make(customer),
});
/** Ring-fences `allocation` units for drop `dropId`, open from `opensAt` to `closesAt` (epoch ms). */
export const allocateDrop = (dropId: string, allocation: number, limitPerCustomer: number, opensAt: number, closesAt: number): Step => (s) => ({
  _tag: 'AllocateDrop', ...s, dropId: DropId.make(dropId), opensAt: EpochMillis.make(opensAt), closesAt: EpochMillis.make(closesAt),
  allocation: Quantity.make(allocation), limitPerCustomer: Quantity.make(limitPerCustomer),
});
export const commit = (id: string): Step => (s) => ({ _tag: 'CommitReservation', ...s, reservationId: ReservationId.make(id) });
export const release = (id: string): Step => (s) => ({
  _tag: 'ReleaseReservation', ...s, reservationId: ReservationId.make(id), reason: 'cancelled',
});
export const sale = (qty: number, location?: string): Step => (s) => ({
  _tag: 'RecordSale', ...s, ...at(location), orderId: OrderId.make(`order-${s.commandId}`), qty: Quantity.make(qty),
});
export const adjust = (delta: number): Step => (s) => ({
  _tag: 'AdjustStock', ...s, delta: Delta.make(delta), reason: AdjustReasons[0], reference: Reference.make('count-1'),
});
export const policy = (p: { readonly lowStockThreshold?: number; readonly safetyStock?: number; readonly location?: string }): Step => (s) => ({
  _tag: 'SetStockPolicy',
  ...s,
  ...at(p.location),
  ...(p.lowStockThreshold === undefined ? {} : { lowStockThreshold: Units.make(p.lowStockThreshold) }),
  ...(p.safetyStock === undefined ? {} : { safetyStock: Units.make(p.safetyStock) }),
});

export interface DecidedSku {
  readonly sku: Sku;
  /** Decides `steps` as one journal batch; throws if the decider refuses one (a test bug). */
  readonly run: (...steps: ReadonlyArray<Step>) => AppliedBatch;
  readonly state: () => SkuState;
  /** The batch the last `run` returned; throws before the first. */
  readonly lastBatch: () => AppliedBatch;
}

/** A SKU whose batches get journal sequences `firstSeq`, `firstSeq + 1`, … */
export const decidedSku = (name: string, firstSeq = 1): DecidedSku => {
  const sku = Sku.make(name);
  let state = initialState(sku);
  let seq = firstSeq - 1;
  let commands = 0;
  let last: AppliedBatch | undefined;
  const run = (...steps: ReadonlyArray<Step>): AppliedBatch => {
    const events: Array<Event> = [];
    for (const step of steps) {
      commands += 1;
      const command = step({ sku, now: EpochMillis.make(t0 + commands * 1000), commandId: CommandId.make(`${name}-${commands}`), actor });
      const decision = decide(command, state);
      if (Either.isLeft(decision)) throw new Error(`${command._tag} refused: ${decision.left._tag}`);
      for (const event of decision.right) {
        state = evolve(state, event);
        events.push(event);
      }
    }
    seq += 1;
    last = { shard: 0, state, seq, events };
    return last;
  };
  const lastBatch = () => {
    if (last === undefined) throw new Error(`${name}: nothing ran yet`);
    return last;
  };
  return { sku, run, state: () => state, lastBatch };
};

/** The view a batch leaves, as the projector computes it (asOf: its last event's time). */
export const viewAfter = (batch: AppliedBatch): StockView =>
  stockViewOf(batch.state, batch.seq, batch.events.at(-1)?.at ?? EpochMillis.make(0));
