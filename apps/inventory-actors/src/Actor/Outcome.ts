// What an actor answers for one decided command: the domain's decision, seen through the state
// right after it, as the wire's ReplyOutcome.
import {
  available,
  DefaultLocation,
  findReservation,
  positionAt,
  rejectionOfRefused,
  type Command,
  type Decision,
  type LocationId,
  type SkuState,
} from '@larder/domain';
import type { ReplyOutcome, ReservationView } from '@larder/messaging';
import { Either, Option } from 'effect';

/** A decided command waiting for its batch's append: everything but the journal sequence. */
export interface Pending {
  readonly outcome: (seq: number | null) => ReplyOutcome;
}

const reservationOf = (command: Command, state: SkuState): Option.Option<ReservationView> =>
  'reservationId' in command
    ? Option.map(findReservation(state, command.reservationId), (r) => ({
        reservationId: r.reservationId,
        status: r.status,
        qty: r.qty,
        expiresAt: r.expiresAt,
        location: r.location,
      }))
    : Option.none();

const locationOf = (command: Command, reservation: Option.Option<ReservationView>): LocationId =>
  Option.match(reservation, {
    onSome: (r) => r.location,
    onNone: () => ('location' in command && command.location !== undefined ? command.location : DefaultLocation),
  });

/** `after` is the state once this command's own events (if any) are applied. */
export const pendingOutcome = (command: Command, decision: Decision, after: SkuState): Pending =>
  Either.match(decision, {
    onLeft: (rejection) => ({ outcome: () => ({ _tag: 'Rejected', rejection }) }),
    onRight: (events) => {
      const refused = events.find((e) => e._tag === 'ReservationRefused');
      if (refused?._tag === 'ReservationRefused') {
        // Recorded so a retry gets the same answer; to the requester it is the refusal, once durable.
        const rejection = rejectionOfRefused(refused, after);
        return { outcome: (seq) => ({ _tag: 'Rejected', rejection, ...(seq === null ? {} : { seq }) }) };
      }
      const reservation = reservationOf(command, after);
      const position = positionAt(after, locationOf(command, reservation));
      const levels = {
        onHand: position.onHand,
        reserved: position.reserved,
        safetyStock: position.safetyStock,
        ...(position.allocated === undefined ? {} : { allocated: position.allocated }),
        available: available(position),
      };
      const appended = events.length > 0;
      // Only a stocktake answers what it found; its StockCounted is the first event it decides.
      const counted = command._tag === 'CountStock' ? events.find((e) => e._tag === 'StockCounted') : undefined;
      const count = counted?._tag === 'StockCounted' ? { count: { counted: counted.counted, expected: counted.expected, difference: counted.difference } } : {};
      // Only a commit answers the lots it took, as its hold keeps them once committed (a retry's answer too).
      const taken = command._tag === 'CommitReservation' ? Option.getOrUndefined(findReservation(after, command.reservationId))?.lots : undefined;
      const lots = taken === undefined ? {} : { lots: taken };
      return {
        outcome: (seq) => ({
          _tag: 'Accepted',
          seq: appended ? seq : null,
          levels,
          ...Option.match(reservation, { onNone: () => ({}), onSome: (r) => ({ reservation: r }) }),
          ...count,
          ...lots,
        }),
      };
    },
  });
