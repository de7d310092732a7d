// The runner's span for one received command (`process inv.req` or `process inv.cmd`): a child of the
// API's span named by the command's traceparent (a new trace without one), open until the command is
// settled, so its length is what the command cost the runner from receipt to answer.
import type { Command } from '@larder/domain';
import { commandSpanAttributes, contextOfTraceParent, recordOutcome, type ReplyOutcome, type Shard } from '@larder/messaging';
import type { Attributes, Span, SpanKind, Tracer } from '@opentelemetry/api';

export interface ProcessSpanInput {
  readonly name: string;
  readonly kind: SpanKind;
  readonly command: Command;
  readonly subject: string;
  readonly shard: Shard;
  readonly traceparent: string | undefined;
  readonly attributes?: Attributes;
}

export const startProcessSpan = (tracer: Tracer, input: ProcessSpanInput): Span =>
  tracer.startSpan(
    input.name,
    { kind: input.kind, attributes: { ...commandSpanAttributes(input.command, input.subject, input.shard, 'process'), ...input.attributes } },
    contextOfTraceParent(input.traceparent),
  );

export const endProcessSpan = (span: Span, outcome: ReplyOutcome): void => {
  recordOutcome(span, outcome);
  span.end();
};
