// Several SKU actors, as the pack specs need them: each SKU's state decided and evolved by the real
// decider, a checkout's holds asked of each owner and answered as the shell answers them (LineReply),
// and the releases the checkout decision names carried out.
import { Either, Option } from 'effect';
import {
  Actor,
  available,
  CommandId,
  decide,
  DefaultLocation,
  EpochMillis,
  evolve,
  findReservation,
  initialState,
  positionAt,
  Quantity,
  Reference,
  rejectionOfRefused,
  ReservationId,
  TtlSeconds,
  type Command,
  type HoldDemand,
  type HoldReply,
  type LineReply,
  type Sku,
  type SkuState,
} from '../../src/index.js';

const actor = Actor.make('apikey:storefront');
const now = EpochMillis.make(Date.UTC(2025, 0, 6, 9, 0, 0));
let commands = 0;
const envelope = (sku: Sku) => ({ sku, actor, now, commandId: CommandId.make(`pack-cmd-${++commands}`) });

export interface Owners {
  readonly state: (sku: Sku) => SkuState;
  /** Asks each owner for its hold of `reservationId`, as one checkout attempt does; the answers by SKU. */
  readonly hold: (reservationId: string, demand: ReadonlyArray<HoldDemand>) => ReadonlyArray<HoldReply>;
  readonly release: (reservationId: string, skus: ReadonlyArray<Sku>) => void;
  /** onHand, reserved and available of `sku` at the default location. */
  readonly levels: (sku: Sku) => { readonly onHand: number; readonly reserved: number; readonly available: number };
  readonly isHeld: (sku: Sku, reservationId: string) => boolean;
  /** The units `reservationId` holds at `sku` (0 when none). */
  readonly heldQty: (sku: Sku, reservationId: string) => number;
}

/** Owners of `stock` (units per SKU, each restocked once). */
export const makeOwners = (stock: ReadonlyMap<Sku, number>): Owners => {
  const states = new Map<Sku, SkuState>();
  const stateOf = (sku: Sku) => states.get(sku) ?? initialState(sku);
  const run = (command: Command) => {
    const before = stateOf(command.sku);
    const decision = decide(command, before);
    if (Either.isLeft(decision)) return { decision, after: before };
    const after = decision.right.reduce(evolve, before);
    states.set(command.sku, after);
    return { decision, after };
  };
  for (const [sku, qty] of stock) if (qty > 0) run({ _tag: 'Restock', ...envelope(sku), qty: Quantity.make(qty), reference: Reference.make('PO-1') });

  const answer = (command: Command): LineReply => {
    const { decision, after } = run(command);
    if (Either.isLeft(decision)) return { _tag: 'Rejected', rejection: decision.left };
    const refused = decision.right.find((e) => e._tag === 'ReservationRefused');
    if (refused?._tag === 'ReservationRefused') return { _tag: 'Rejected', rejection: rejectionOfRefused(refused, after), recordedNow: true };
    const hold = 'reservationId' in command ? Option.getOrUndefined(findReservation(after, command.reservationId)) : undefined;
    return { _tag: 'Accepted', fresh: decision.right.length > 0, hold: hold === undefined ? undefined : { status: hold.status, qty: hold.qty, expiresAt: hold.expiresAt } };
  };
  const levels = (sku: Sku) => {
    const p = positionAt(stateOf(sku), DefaultLocation);
    return { onHand: p.onHand, reserved: p.reserved, available: available(p) };
  };
  return {
    state: stateOf,
    hold: (reservationId, demand) =>
      demand.map((d) => ({
        sku: d.sku,
        reply: answer({ _tag: 'ReserveStock', ...envelope(d.sku), reservationId: ReservationId.make(reservationId), qty: d.qty, ttlSeconds: TtlSeconds.make(600) }),
      })),
    release: (reservationId, skus) => {
      for (const sku of skus) run({ _tag: 'ReleaseReservation', ...envelope(sku), reservationId: ReservationId.make(reservationId), reason: 'compensation' });
    },
    levels,
    heldQty: (sku, reservationId) =>
      Option.match(findReservation(stateOf(sku), ReservationId.make(reservationId)), { onNone: () => 0, onSome: (r) => (r.status === 'held' ? r.qty : 0) }),
    isHeld: (sku, reservationId) => Option.match(findReservation(stateOf(sku), ReservationId.make(reservationId)), { onNone: () => false, onSome: (r) => r.status === 'held' }),
  };
};
