// Undoing a hold that cannot stand (all lines or none): ReleaseReservation, reason `compensation`,
// one per line this request may have held. Command ids are derived, so a repeat has no second effect.
import type { Actor, EpochMillis, ReleaseReservation, ReservationId, Sku } from '@larder/domain';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { askEach } from './AskOwner.js';
import { derivedId } from './DerivedIds.js';

/**
 * Best effort: an owner that does not answer may still apply it, and a hold left behind expires by
 * itself. Never stored on INV_CMD: applied late, it could release a retry's hold under the same id.
 */
export const compensate = async (
  gateway: CommandGateway,
  actor: Actor,
  now: EpochMillis,
  reservationId: ReservationId,
  skus: ReadonlyArray<Sku>,
  wait: boolean,
): Promise<void> => {
  if (skus.length === 0) return;
  const commands = skus.map(
    (sku): ReleaseReservation => ({
      _tag: 'ReleaseReservation',
      commandId: derivedId(reservationId, 'compensate', sku),
      actor,
      now,
      sku,
      reservationId,
      reason: 'compensation',
    }),
  );
  // askEach never rejects; the releases leave in this event-loop turn either way.
  const sent = askEach(gateway, commands);
  if (wait) await sent;
};
