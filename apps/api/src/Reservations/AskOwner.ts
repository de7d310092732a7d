// One command to its shard's owner, its answer in the checkout decider's terms (libs/domain
// LineReply): every way a command can go unanswered — no owner, no answer by the deadline, a Retry
// answer, a broken reply — is one case, because the command may or may not have applied.
import type { Command, HoldReply, LineReply } from '@larder/domain';
import type { ReplyOutcome } from '@larder/messaging';
import { Either } from 'effect';
import type { CommandGateway } from '../Commands/CommandGateway.js';

const recordedRefusals: ReadonlySet<string> = new Set(['InsufficientStock', 'DropNotOpen', 'DropAlreadyClosed', 'LimitExceeded']);

export const lineReplyOf = (outcome: ReplyOutcome): LineReply => {
  switch (outcome._tag) {
    case 'Accepted':
      return { _tag: 'Accepted', fresh: outcome.seq !== null, hold: outcome.reservation, ...(outcome.lots === undefined ? {} : { lots: outcome.lots }) };
    case 'Rejected':
      // A refused hold is recorded in the owner's journal (a `seq`) when decided now; its retry is answered from memory (none).
      return { _tag: 'Rejected', rejection: outcome.rejection, recordedNow: outcome.seq !== undefined || !recordedRefusals.has(outcome.rejection._tag) };
    case 'Retry':
      return { _tag: 'Unanswered', why: `${outcome.reason}: ${outcome.detail}` };
  }
};

export const askOwner = async (gateway: CommandGateway, command: Command): Promise<LineReply> => {
  try {
    const result = await gateway.send(command);
    return Either.isLeft(result) ? { _tag: 'Unanswered', why: result.left._tag } : lineReplyOf(result.right);
  } catch (error) {
    return { _tag: 'Unanswered', why: error instanceof Error ? error.message : String(error) };
  }
};

/** Sends every command at once (the client batches them per shard in one event-loop turn); each answer by its SKU. */
export const askEach = (gateway: CommandGateway, commands: ReadonlyArray<Command>): Promise<ReadonlyArray<HoldReply>> =>
  Promise.all(commands.map(async (command) => ({ sku: command.sku, reply: await askOwner(gateway, command) })));

/** Stores every command on INV_CMD; true when all were stored. */
export const enqueueAll = async (gateway: CommandGateway, commands: ReadonlyArray<Command>): Promise<boolean> => {
  const results = await Promise.allSettled(commands.map((command) => gateway.enqueue(command)));
  return results.every((r) => r.status === 'fulfilled');
};
