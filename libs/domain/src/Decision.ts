// What every decision is made of: the events a command causes or the rejection that refuses it, and
// the meta each event carries (who, when, where, levels before and after).
import { Either } from 'effect';
import type { Command } from './Commands.js';
import type { Event } from './Events.js';
import type { LocationId } from './Ids.js';
import type { Rejection } from './Rejections.js';
import { positionAt, type SkuState } from './State.js';
import { withAllocated, withBlocked, type StockLevels } from './StockLevels.js';

export type Decision = Either.Either<ReadonlyArray<Event>, Rejection>;

export const accept = (...events: ReadonlyArray<Event>): Decision => Either.right(events);
export const nothing: Decision = Either.right([]);
export const refuse = (rejection: Rejection): Decision => Either.left(rejection);

/** The levels of a location as events carry them (`allocated` and `blocked` only when some units are). */
export const levelsOf = (state: SkuState, location: LocationId): StockLevels => {
  const { onHand, reserved, safetyStock, allocated, blocked } = positionAt(state, location);
  return withBlocked(withAllocated({ onHand, reserved, safetyStock }, allocated ?? 0), blocked ?? 0);
};

/** The meta every event of `command` at `location` carries. */
export const meta = (command: Command, location: LocationId, before: StockLevels, after: StockLevels) => ({
  commandId: command.commandId,
  actor: command.actor,
  at: command.now,
  sku: command.sku,
  location,
  before,
  after,
});
