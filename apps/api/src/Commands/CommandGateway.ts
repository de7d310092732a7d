// How the API reaches the write path: sync commands to the shard owner through the batched request
// client (a deadline per command; "no responders" at once), async ones as JetStream messages on
// INV_CMD with `Nats-Msg-Id` = command id, answered as soon as JetStream stores them.
import type { Command } from '@larder/domain';
import {
  encodeCommandMessage,
  HeaderNames,
  type Names,
  type ReplyOutcome,
  type RequestClient,
  type RequestFailure,
  type TraceParent,
} from '@larder/messaging';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { Effect, Either } from 'effect';

/** `traceparent`: the caller's span (Observability/TracedGateway), carried to the owner; never set when tracing is off. */
export interface CommandGateway {
  readonly send: (command: Command, traceparent?: TraceParent) => Promise<Either.Either<ReplyOutcome, RequestFailure>>;
  /** Resolves once INV_CMD has stored the command (a duplicate id is stored once). */
  readonly enqueue: (command: Command, traceparent?: TraceParent) => Promise<void>;
}

const traceHeaders = (traceparent: TraceParent) => {
  const h = headers();
  h.set(HeaderNames.traceParent, traceparent);
  return h;
};

export const makeCommandGateway = (client: RequestClient, js: JetStreamClient, names: Names, deadlineMs: number): CommandGateway => ({
  send: (command, traceparent) => Effect.runPromise(Effect.either(client.send(command, Date.now() + deadlineMs, traceparent))),
  enqueue: async (command, traceparent) => {
    const subject = names.commands.subject(command.sku);
    const payload = encodeCommandMessage({ v: 1, command });
    // Untraced: the publish options are exactly what they were before tracing existed (no headers).
    await js.publish(
      subject,
      payload,
      traceparent === undefined
        ? { msgID: command.commandId, timeout: deadlineMs }
        : { msgID: command.commandId, timeout: deadlineMs, headers: traceHeaders(traceparent) },
    );
  },
});
