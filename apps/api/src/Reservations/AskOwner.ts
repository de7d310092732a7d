// One command to its shard's owner, with every way it can go unanswered folded into one case: the
// reservation flows only need "the owner said this" or "we do not know".
import type { Command } from '@larder/domain';
import type { ReplyOutcome } from '@larder/messaging';
import { Either } from 'effect';
import type { CommandGateway } from '../Commands/CommandGateway.js';

export type OwnerReply =
  | { readonly _tag: 'Answered'; readonly outcome: ReplyOutcome }
  /** No owner, no answer by the deadline, a Retry answer or a broken reply: the command may or may not have applied. */
  | { readonly _tag: 'Unanswered'; readonly why: string };

export const askOwner = async (gateway: CommandGateway, command: Command): Promise<OwnerReply> => {
  try {
    const result = await gateway.send(command);
    if (Either.isLeft(result)) return { _tag: 'Unanswered', why: result.left._tag };
    const outcome = result.right;
    return outcome._tag === 'Retry' ? { _tag: 'Unanswered', why: `${outcome.reason}: ${outcome.detail}` } : { _tag: 'Answered', outcome };
  } catch (error) {
    return { _tag: 'Unanswered', why: error instanceof Error ? error.message : String(error) };
  }
};

/** Sends every command at once (the client batches them per shard in one event-loop turn). */
export const askAll = (gateway: CommandGateway, commands: ReadonlyArray<Command>) =>
  Promise.all(commands.map((command) => askOwner(gateway, command)));

/** Stores every command on INV_CMD; true when all were stored. */
export const enqueueAll = async (gateway: CommandGateway, commands: ReadonlyArray<Command>): Promise<boolean> => {
  const results = await Promise.allSettled(commands.map((command) => gateway.enqueue(command)));
  return results.every((r) => r.status === 'fulfilled');
};
