// The command gateway with a span per command, child of the request's span: `send inv.req` (client)
// until the owner's answer, `publish inv.cmd` (producer) until JetStream stored it. Each span's
// traceparent travels with its command, so the runner's spans join the same trace.
import type { Command } from '@larder/domain';
import { commandSpanAttributes, recordFailure, recordOutcome, SpanNames, traceParentOf, type Names } from '@larder/messaging';
import { context, SpanKind, type Span, type Tracer } from '@opentelemetry/api';
import { Either } from 'effect';
import type { CommandGateway } from '../Commands/CommandGateway.js';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const traceGateway = (gateway: CommandGateway, tracer: Tracer, names: Names): CommandGateway => {
  const start = (name: string, kind: SpanKind, command: Command, subject: string): Span =>
    tracer.startSpan(name, { kind, attributes: commandSpanAttributes(command, subject, names.shardOf(command.sku), 'send') }, context.active());
  return {
    send: async (command) => {
      const shard = names.shardOf(command.sku);
      const span = start(SpanNames.sendRequest, SpanKind.CLIENT, command, names.requests.subject(shard));
      try {
        const answer = await gateway.send(command, traceParentOf(span.spanContext()));
        if (Either.isRight(answer)) recordOutcome(span, answer.right);
        else recordFailure(span, answer.left._tag, answer.left._tag === 'Malformed' ? answer.left.reason : `shard ${shard}`);
        return answer;
      } catch (error) {
        recordFailure(span, 'Error', describe(error));
        throw error;
      } finally {
        span.end();
      }
    },
    enqueue: async (command) => {
      const span = start(SpanNames.publishCommand, SpanKind.PRODUCER, command, names.commands.subject(command.sku));
      try {
        await gateway.enqueue(command, traceParentOf(span.spanContext()));
      } catch (error) {
        recordFailure(span, 'NotStored', describe(error));
        throw error;
      } finally {
        span.end();
      }
    },
  };
};
