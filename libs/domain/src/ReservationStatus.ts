// Where a hold stands: open (`held`) or closed one of three ways. One schema for the state, its
// snapshots and the wire.
import { Schema } from 'effect';

export const ReservationStatus = Schema.Literal('held', 'committed', 'released', 'expired');
export type ReservationStatus = typeof ReservationStatus.Type;
