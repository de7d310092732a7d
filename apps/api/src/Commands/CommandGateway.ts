// How the API reaches the write path: sync commands to the shard owner through the batched request
// client (a deadline per command; "no responders" at once), async ones as JetStream messages on
// INV_CMD with `Nats-Msg-Id` = command id, answered as soon as JetStream stores them.
import type { Command } from '@larder/domain';
import { encodeCommandMessage, type Names, type ReplyOutcome, type RequestClient, type RequestFailure } from '@larder/messaging';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Effect, Either } from 'effect';

export interface CommandGateway {
  readonly send: (command: Command) => Promise<Either.Either<ReplyOutcome, RequestFailure>>;
  /** Resolves once INV_CMD has stored the command (a duplicate id is stored once). */
  readonly enqueue: (command: Command) => Promise<void>;
}

export const makeCommandGateway = (client: RequestClient, js: JetStreamClient, names: Names, deadlineMs: number): CommandGateway => ({
  send: (command) => Effect.runPromise(Effect.either(client.send(command, Date.now() + deadlineMs))),
  enqueue: async (command) => {
    await js.publish(names.commands.subject(command.sku), encodeCommandMessage({ v: 1, command }), {
      msgID: command.commandId,
      timeout: deadlineMs,
    });
  },
});
