// How long the decider remembers what it has seen. Named here, once, because they shape both
// replies to retries and the size of snapshots.

/** A command id seen within this window (up to twice it) has no second effect. */
export const CommandMemoryMs = 15 * 60_000;

/**
 * A closed hold is remembered this long (up to twice it), so a late commit, release or a retried POST
 * a day later (the Idempotency-Key contract, DESIGN.md §6) gets a true answer, never a second hold.
 */
export const ClosedReservationMemoryMs = 25 * 60 * 60_000;
