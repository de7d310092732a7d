// Journal batches made by the real decider for one SKU: each `batch` decides its commands in order against
// the SKU's state (as the actor does), folds the events in, and returns the `EventBatch` the actor appends.
import {
  Actor,
  AdjustReasons,
  CommandId,
  decide,
  Delta,
  EpochMillis,
  evolve,
  initialState,
  OrderId,
  Quantity,
  Reference,
  ReservationId,
  Sku,
  TtlSeconds,
  Units,
  type Command,
  type Event,
} from '@larder/domain';
import { CurrentWireVersion, EventBatch } from '@larder/messaging';
import { Either, Schema } from 'effect';

/** Monday 6 January 2025, 09:00 UTC; each command is one second after the previous one. */
export const t0 = Date.UTC(2025, 0, 6, 9, 0, 0);
export const warehouse = Actor.make('user:warehouse');

interface Stamp {
  readonly sku: Sku;
  readonly now: EpochMillis;
  readonly commandId: CommandId;
  readonly actor: Actor;
}
/** A command waiting for its SKU, time and id. */
export type Step = (stamp: Stamp) => Command;

export const restock = (qty: number, reference = 'PO-1'): Step => (s) => ({
  _tag: 'Restock', ...s, qty: Quantity.make(qty), reference: Reference.make(reference),
});
export const reserve = (id: string, qty: number, ttlSeconds = 900): Step => (s) => ({
  _tag: 'ReserveStock', ...s, reservationId: ReservationId.make(id), qty: Quantity.make(qty), ttlSeconds: TtlSeconds.make(ttlSeconds),
  orderId: OrderId.make(`order-${id}`),
});
export const extend = (id: string, ttlSeconds: number): Step => (s) => ({
  _tag: 'ExtendReservation', ...s, reservationId: ReservationId.make(id), ttlSeconds: TtlSeconds.make(ttlSeconds),
});
export const commit = (id: string): Step => (s) => ({ _tag: 'CommitReservation', ...s, reservationId: ReservationId.make(id) });
export const release = (id: string): Step => (s) => ({
  _tag: 'ReleaseReservation', ...s, reservationId: ReservationId.make(id), reason: 'payment_failed',
});
export const expire = (id: string): Step => (s) => ({ _tag: 'ExpireReservation', ...s, reservationId: ReservationId.make(id) });
export const sale = (orderId: string, qty: number): Step => (s) => ({
  _tag: 'RecordSale', ...s, orderId: OrderId.make(orderId), qty: Quantity.make(qty),
});
export const adjust = (delta: number): Step => (s) => ({
  _tag: 'AdjustStock', ...s, delta: Delta.make(delta), reason: AdjustReasons[0], reference: Reference.make('count-7'),
});
export const receiveReturn = (orderId: string, qty: number, restockable: boolean): Step => (s) => ({
  _tag: 'ReceiveReturn', ...s, orderId: OrderId.make(orderId), qty: Quantity.make(qty), restockable, reference: Reference.make(`rma-${orderId}`),
});
export const policy = (safetyStock: number, lowStockThreshold: number | null): Step => (s) => ({
  _tag: 'SetStockPolicy', ...s, safetyStock: Units.make(safetyStock), lowStockThreshold: lowStockThreshold === null ? null : Units.make(lowStockThreshold),
});

export interface SkuJournal {
  readonly sku: Sku;
  /** Decides `steps` as one group commit; throws if the decider refuses one or decides nothing (a test bug). */
  readonly batch: (...steps: ReadonlyArray<Step>) => EventBatch;
  /** Moves this SKU's clock forward (e.g. past a hold's expiry). */
  readonly advance: (seconds: number) => void;
}

const toBatch = Schema.decodeUnknownSync(EventBatch);

export const skuJournal = (name: string): SkuJournal => {
  const sku = Sku.make(name);
  let state = initialState(sku);
  let clock = t0;
  let commands = 0;
  const batch = (...steps: ReadonlyArray<Step>): EventBatch => {
    const events: Array<Event> = [];
    for (const step of steps) {
      commands += 1;
      clock += 1000;
      const command = step({ sku, now: EpochMillis.make(clock), commandId: CommandId.make(`${name}-${commands}`), actor: warehouse });
      const decision = decide(command, state);
      if (Either.isLeft(decision)) throw new Error(`${command._tag} refused: ${decision.left._tag}`);
      for (const event of decision.right) {
        state = evolve(state, event);
        events.push(event);
      }
    }
    return toBatch({ v: CurrentWireVersion, epoch: 1, events });
  };
  return { sku, batch, advance: (seconds) => void (clock += seconds * 1000) };
};
